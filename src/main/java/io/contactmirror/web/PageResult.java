package io.contactmirror.web;

import java.util.List;
import java.util.function.Function;

/**
 * One page of an ordered result and the paging facts every list response reports
 * ({@code count, total, page, limit, hasMore}).
 */
public record PageResult<T>(List<T> items, long total, int page, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    /** Deeper offsets cost the database a walk over every row before them, and overflow past 2^31 rows. */
    public static final int MAX_PAGE = 10_000;

    public static long offset(int page, int limit) {
        return (long) (page - 1) * limit;
    }

    public int count() {
        return items.size();
    }

    public boolean hasMore() {
        return offset(page, limit) + items.size() < total;
    }

    public <R> PageResult<R> map(Function<? super T, ? extends R> mapper) {
        return new PageResult<>(items.stream().<R>map(mapper).toList(), total, page, limit);
    }
}
