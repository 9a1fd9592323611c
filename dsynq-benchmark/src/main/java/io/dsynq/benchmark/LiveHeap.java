package io.dsynq.benchmark;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The largest heap a measured operation kept alive: the heap in use right after each garbage collection, so that
 * garbage a large young generation has not yet collected does not count. That is the memory a tool needs, the
 * figure {@code -Xmx} must cover; less the {@link #idle()} heap, what the operation itself needed.
 */
final class LiveHeap {

    private final AtomicLong peak = new AtomicLong();

    LiveHeap() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector)
                    .addNotificationListener(
                            (notification, handback) -> {
                                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                                        notification.getType())) {
                                    record(GarbageCollectionNotificationInfo.from(
                                            (CompositeData) notification.getUserData()));
                                }
                            },
                            null,
                            null);
        }
    }

    /** The heap's pools: a collection reports every pool, metaspace and code cache included. */
    private final java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == java.lang.management.MemoryType.HEAP)
            .map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toSet());

    private void record(GarbageCollectionNotificationInfo info) {
        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> heapPools.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed())
                .sum();
        peak.accumulateAndGet(used, Math::max);
    }

    private volatile long idle;

    /** Starts a measurement; call it right after a full collection, so that what is in use is the idle live heap. */
    void reset() {
        idle = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peak.set(0);
    }

    /**
     * The live heap the JVM held before the operation (the benchmark's own classes' data, drivers, caches): what the
     * operation itself needed is {@link #peak()} less this.
     */
    long idle() {
        return idle;
    }

    /** The peak since {@link #reset()}; notifications arrive on another thread, so give the last one a moment. */
    long peak() throws InterruptedException {
        Thread.sleep(200);
        return peak.get();
    }
}
