/**
 * Checks that the generated code states etcd's wire contract: a hand-written table of every field
 * number, type, oneof, enum value and method (src/test/resources/wire/etcd-wire.txt) is compared, in
 * both directions, with the descriptors protoc generated from our .proto files.
 */
package io.etcdj.api.wire;
