package io.dsynq.benchmark;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The largest heap a measured operation kept alive: the heap in use right after each garbage collection, so that
 * garbage a large young generation has not yet collected does not count. That is the memory a tool needs, the
 * figure {@code -Xmx} must cover.
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

    private void record(GarbageCollectionNotificationInfo info) {
        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                .mapToLong(MemoryUsage::getUsed)
                .sum();
        peak.accumulateAndGet(used, Math::max);
    }

    void reset() {
        peak.set(0);
    }

    /** The peak since {@link #reset()}; notifications arrive on another thread, so give the last one a moment. */
    long peak() throws InterruptedException {
        Thread.sleep(200);
        return peak.get();
    }
}
