package io.etcdj.server.v3rpc;

import static io.etcdj.server.apply.Kv.b;
import static io.etcdj.server.apply.Kv.del;
import static io.etcdj.server.apply.Kv.get;
import static io.etcdj.server.apply.Kv.op;
import static io.etcdj.server.apply.Kv.put;
import static io.etcdj.server.apply.Kv.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.rpctypes.EtcdError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The v3rpc checks as a table: each request with the error etcd gives it (null: accepted), checked
 * for the exact gRPC code and message. The accepted rows are the negative controls: a check that
 * refused everything would fail them.
 */
class KvRequestChecksTest {

    static final Compare.CompareResult EQ = Compare.CompareResult.EQUAL;

    static Stream<Arguments> rangeCases() {
        return Stream.of(
                Arguments.of("ok", get("k"), null),
                Arguments.of("empty key", RangeRequest.getDefaultInstance(), EtcdError.EMPTY_KEY),
                Arguments.of("range_end without key", RangeRequest.newBuilder().setRangeEnd(b("z")).build(),
                        EtcdError.EMPTY_KEY),
                Arguments.of("sort order 3", get("k").toBuilder().setSortOrderValue(3).build(),
                        EtcdError.INVALID_SORT_OPTION),
                Arguments.of("sort order -1", get("k").toBuilder().setSortOrderValue(-1).build(),
                        EtcdError.INVALID_SORT_OPTION),
                Arguments.of("sort target 5", get("k").toBuilder().setSortTargetValue(5).build(),
                        EtcdError.INVALID_SORT_OPTION),
                Arguments.of("descend by value", get("k").toBuilder().setSortOrderValue(2).setSortTargetValue(4).build(),
                        null),
                Arguments.of("empty key before sort", RangeRequest.newBuilder().setSortOrderValue(7).build(),
                        EtcdError.EMPTY_KEY));
    }

    static Stream<Arguments> putCases() {
        PutRequest ignoreValue = PutRequest.newBuilder().setKey(b("k")).setIgnoreValue(true).build();
        return Stream.of(
                Arguments.of("ok", put("k", "v"), null),
                Arguments.of("empty key", put("", "v"), EtcdError.EMPTY_KEY),
                Arguments.of("ignore_value alone", ignoreValue, null),
                Arguments.of("ignore_value with value", ignoreValue.toBuilder().setValue(b("v")).build(),
                        EtcdError.VALUE_PROVIDED),
                Arguments.of("ignore_lease with lease", put("k", "v").toBuilder().setIgnoreLease(true).setLease(1).build(),
                        EtcdError.LEASE_PROVIDED),
                Arguments.of("value checked before lease", ignoreValue.toBuilder().setValue(b("v"))
                        .setIgnoreLease(true).setLease(1).build(), EtcdError.VALUE_PROVIDED),
                Arguments.of("empty key first", PutRequest.newBuilder().setIgnoreValue(true).setValue(b("v")).build(),
                        EtcdError.EMPTY_KEY));
    }

    static Stream<Arguments> deleteCases() {
        return Stream.of(
                Arguments.of("ok", del("k"), null),
                Arguments.of("empty key", DeleteRangeRequest.newBuilder().setRangeEnd(b("\0")).build(),
                        EtcdError.EMPTY_KEY));
    }

    @ParameterizedTest(name = "range: {0}")
    @MethodSource("rangeCases")
    void rangeChecks(String name, RangeRequest r, EtcdError expected) {
        expect(() -> KvRequestChecks.checkRange(r), expected);
    }

    @ParameterizedTest(name = "put: {0}")
    @MethodSource("putCases")
    void putChecks(String name, PutRequest r, EtcdError expected) {
        expect(() -> KvRequestChecks.checkPut(r), expected);
    }

    @ParameterizedTest(name = "delete: {0}")
    @MethodSource("deleteCases")
    void deleteChecks(String name, DeleteRangeRequest r, EtcdError expected) {
        expect(() -> KvRequestChecks.checkDelete(r), expected);
    }

    static List<RequestOp> puts(int n) {
        return puts(n, "k");
    }

    static List<RequestOp> puts(int n, String prefix) {
        List<RequestOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(op(put(prefix + i, "v")));
        }
        return ops;
    }

    static TxnRequest.Builder txn() {
        return TxnRequest.newBuilder();
    }

    static Stream<Arguments> txnShapeCases() {
        return Stream.of(
                Arguments.of("128 compares", txn().addAllCompare(compares(128)).build(), null),
                Arguments.of("129 compares", txn().addAllCompare(compares(129)).build(), EtcdError.TOO_MANY_OPS),
                Arguments.of("128 in each list (max, not sum)", txn().addAllCompare(compares(128))
                        .addAllSuccess(puts(128)).addAllFailure(puts(128)).build(), null),
                Arguments.of("129 success", txn().addAllSuccess(puts(129)).build(), EtcdError.TOO_MANY_OPS),
                Arguments.of("129 failure", txn().addAllFailure(puts(129)).build(), EtcdError.TOO_MANY_OPS),
                Arguments.of("nested within the budget left", txn().addAllSuccess(puts(99))
                        .addSuccess(op(txn().addAllSuccess(puts(28, "n")).build())).build(), null),
                Arguments.of("nested over the budget left", txn().addAllSuccess(puts(99))
                        .addSuccess(op(txn().addAllFailure(puts(29, "n")).build())).build(), EtcdError.TOO_MANY_OPS),
                Arguments.of("compare with empty key", txn().addCompare(Compare.newBuilder().setVersion(1)).build(),
                        EtcdError.EMPTY_KEY),
                Arguments.of("empty op", txn().addSuccess(RequestOp.getDefaultInstance()).build(),
                        EtcdError.KEY_NOT_FOUND),
                Arguments.of("empty op in a nested failure", txn().addFailure(op(txn()
                        .addFailure(RequestOp.getDefaultInstance()).build())).build(), EtcdError.KEY_NOT_FOUND),
                Arguments.of("op with empty key", txn().addFailure(op(get(""))).build(), EtcdError.EMPTY_KEY),
                Arguments.of("bad sort in a txn range", txn().addSuccess(op(get("k").toBuilder().setSortTargetValue(9)
                        .build())).build(), EtcdError.INVALID_SORT_OPTION),
                Arguments.of("count before compare keys", txn().addCompare(Compare.getDefaultInstance())
                        .addAllSuccess(puts(129)).build(), EtcdError.TOO_MANY_OPS),
                Arguments.of("compare keys before ops", txn().addSuccess(op(put("", "v")))
                        .addCompare(Compare.getDefaultInstance()).build(), EtcdError.EMPTY_KEY),
                Arguments.of("success before failure", txn().addFailure(op(put("", "v")))
                        .addSuccess(RequestOp.getDefaultInstance()).build(), EtcdError.KEY_NOT_FOUND),
                Arguments.of("shape before duplicates", txn().addSuccess(op(put("a", "1"))).addSuccess(op(put("a", "2")))
                        .addFailure(op(del(""))).build(), EtcdError.EMPTY_KEY));
    }

    static List<Compare> compares(int n) {
        List<Compare> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(version("k" + i, EQ, 0));
        }
        return list;
    }

    static TxnRequest branch(RequestOp... ops) {
        return txn().addAllSuccess(List.of(ops)).build();
    }

    static TxnRequest nested(List<RequestOp> then, List<RequestOp> otherwise) {
        return txn().addAllSuccess(then).addAllFailure(otherwise).build();
    }

    static Stream<Arguments> duplicateCases() {
        RequestOp putA = op(put("a", "1"));
        RequestOp putB = op(put("b", "1"));
        RequestOp delA = op(del("a"));
        return Stream.of(
                Arguments.of("two puts", branch(putA, op(put("a", "2"))), EtcdError.DUPLICATE_KEY),
                Arguments.of("put and delete", branch(delA, putA), EtcdError.DUPLICATE_KEY),
                Arguments.of("delete range covering the put", branch(op(del("a", "c")), putB), EtcdError.DUPLICATE_KEY),
                Arguments.of("range end is exclusive", branch(op(del("a", "b")), putB), null),
                Arguments.of("two deletes overlap", branch(op(del("a", "c")), op(del("b", "d"))), null),
                Arguments.of("ranges and puts of one key", branch(op(get("a")), putA, op(get("a"))), null),
                Arguments.of("one key in success and failure", txn().addSuccess(putA).addFailure(putA).build(), null),
                Arguments.of("nested then and else", branch(op(nested(List.of(putA), List.of(putA)))), null),
                Arguments.of("nested and outer put", branch(putA, op(nested(List.of(putA), List.of()))),
                        EtcdError.DUPLICATE_KEY),
                Arguments.of("nested else and outer put", branch(op(nested(List.of(), List.of(putA))), putA),
                        EtcdError.DUPLICATE_KEY),
                Arguments.of("sibling nested puts", branch(op(nested(List.of(putA), List.of())),
                        op(nested(List.of(), List.of(putA)))), EtcdError.DUPLICATE_KEY),
                Arguments.of("outer delete, nested put", branch(delA, op(nested(List.of(putA), List.of()))),
                        EtcdError.DUPLICATE_KEY),
                Arguments.of("nested delete, outer put", branch(op(nested(List.of(), List.of(delA))), putA),
                        EtcdError.DUPLICATE_KEY),
                Arguments.of("earlier nested delete, later nested put", branch(op(nested(List.of(delA), List.of())),
                        op(nested(List.of(putA), List.of()))), EtcdError.DUPLICATE_KEY),
                Arguments.of("earlier nested put, later nested delete (etcd lets it through)",
                        branch(op(nested(List.of(putA), List.of())), op(nested(List.of(delA), List.of()))), null),
                Arguments.of("delete to \\0 does not cover (etcd's literal interval)",
                        branch(op(del("a", "\0")), putB), null),
                Arguments.of("inverted delete covers nothing", branch(op(del("c", "a")), putB), null),
                Arguments.of("duplicates in failure", txn().addFailure(putA).addFailure(putA).build(),
                        EtcdError.DUPLICATE_KEY),
                Arguments.of("deep nesting", branch(op(branch(op(branch(putA))))), null),
                Arguments.of("deep nesting against the top", branch(putA, op(branch(op(branch(putA))))),
                        EtcdError.DUPLICATE_KEY));
    }

    @ParameterizedTest(name = "txn: {0}")
    @MethodSource({"txnShapeCases", "duplicateCases"})
    void txnChecks(String name, TxnRequest r, EtcdError expected) {
        expect(() -> KvRequestChecks.checkTxn(r, KvLimits.DEFAULT_MAX_TXN_OPS), expected);
    }

    static void expect(Runnable check, EtcdError expected) {
        StatusRuntimeException thrown = null;
        try {
            check.run();
        } catch (StatusRuntimeException e) {
            thrown = e;
        }
        if (expected == null) {
            assertThat(thrown).as("accepted").isNull();
            return;
        }
        assertThat(thrown).as("refused with " + expected).isNotNull();
        Status status = thrown.getStatus();
        assertThat(status.getCode()).isEqualTo(expected.code());
        assertThat(status.getDescription()).isEqualTo(expected.message());
    }
}
