/**
 * An interval tree over byte-string keys (etcd's pkg/adt): the watch hub keeps range watchers in it
 * and asks, for each changed key, which ranges hold that key. Intervals are half-open
 * {@code [low, high)}; a null {@code high} means "every key from low on". Single-threaded.
 */
package io.etcdj.pkg.interval;
