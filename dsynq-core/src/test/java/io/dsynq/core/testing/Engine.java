package io.dsynq.core.testing;

/** The engines dsynq's tests run against. */
public enum Engine {
    H2,
    POSTGRESQL,
    MARIADB
}
