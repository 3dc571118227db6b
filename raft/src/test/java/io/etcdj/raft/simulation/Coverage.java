package io.etcdj.raft.simulation;

/**
 * What a run actually exercised. CI asserts each count is non-zero over its seeds, so a harness
 * change that silently stops crashing nodes or sending snapshots fails loudly instead of
 * turning the simulation into a no-op that always passes.
 */
final class Coverage {

    long crashes;
    long readyCrashes;
    long restarts;
    long partitions;
    long snapshotsDelivered;
    long membershipChanges;
    long jointConfigurations;
    long leaderTerms;
    long transfers;
    long runs;
    long recoveryTicksSum;
    long recoveryTicksMax;

    void add(Coverage other) {
        crashes += other.crashes;
        readyCrashes += other.readyCrashes;
        restarts += other.restarts;
        partitions += other.partitions;
        snapshotsDelivered += other.snapshotsDelivered;
        membershipChanges += other.membershipChanges;
        jointConfigurations += other.jointConfigurations;
        leaderTerms += other.leaderTerms;
        transfers += other.transfers;
        runs += other.runs;
        recoveryTicksSum += other.recoveryTicksSum;
        recoveryTicksMax = Math.max(recoveryTicksMax, other.recoveryTicksMax);
    }

    long[] counts() {
        return new long[] {crashes, readyCrashes, restarts, partitions, snapshotsDelivered, membershipChanges,
            jointConfigurations, leaderTerms, transfers};
    }

    @Override
    public String toString() {
        return crashes + " crashes (" + readyCrashes + " inside a Ready), " + restarts + " restarts, " + partitions
                + " partitions, " + snapshotsDelivered + " snapshots delivered, " + membershipChanges
                + " membership changes applied (" + jointConfigurations + " joint), " + leaderTerms + " terms with a leader, "
                + transfers + " leadership transfers asked; after healing, a new proposal applied by all voters in "
                + (runs == 0 ? 0 : recoveryTicksSum / runs) + " ticks on average, " + recoveryTicksMax + " at most";
    }
}
