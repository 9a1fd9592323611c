package io.dsynq.core.jdbc;

/** A lock held by one database session; closing it releases the lock. */
public interface SessionLock extends AutoCloseable {

    @Override
    void close();
}
