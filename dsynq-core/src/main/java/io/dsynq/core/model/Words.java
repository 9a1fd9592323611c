package io.dsynq.core.model;

import java.util.List;

/** Names listed as a message's words: {@code a}, {@code a and b}, {@code a, b and c}. */
public final class Words {

    private Words() {}

    /** {@code names} as words; {@code names} must not be empty. */
    public static String of(List<String> names) {
        int last = names.size() - 1;
        return last == 0 ? names.get(0) : String.join(", ", names.subList(0, last)) + " and " + names.get(last);
    }
}
