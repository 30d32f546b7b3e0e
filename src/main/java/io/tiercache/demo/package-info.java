/**
 * The runnable demo of the README.
 */
package io.tiercache.demo;
