package io.contactmirror.support;

import java.lang.management.ManagementFactory;

/** Heap measurements for the benchmarks. */
public final class Heap {

    private Heap() {}

    /** Used heap after full collections: the smallest of five readings, so garbage in flight is not counted. */
    public static long settled() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
