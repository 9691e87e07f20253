package io.contactmirror.web;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of an ordered result and the paging facts every list response reports
 * ({@code count, total, page, limit, hasMore}); keyset-paged lists add {@code nextCursor} and say whether
 * {@code total} is exact.
 *
 * @param totalExact false when {@code total} is a lower bound (a search counted up to its cap)
 * @param nextCursor continues after this page in constant time; null on the last page or for offset-only lists
 */
public record PageResult<T>(
        List<T> items,
        long total,
        boolean totalExact,
        int page,
        int limit,
        boolean hasMore,
        @Nullable String nextCursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;
    /** Deeper offsets cost the database a walk over every row before them, and overflow past 2^31 rows. */
    public static final int MAX_PAGE = 10_000;

    /** An offset-paged result with an exact total. */
    public PageResult(List<T> items, long total, int page, int limit) {
        this(items, total, true, page, limit, offset(page, limit) + items.size() < total, null);
    }

    public static long offset(int page, int limit) {
        return (long) (page - 1) * limit;
    }

    public int count() {
        return items.size();
    }

    public <R> PageResult<R> map(Function<? super T, ? extends R> mapper) {
        return new PageResult<>(
                items.stream().<R>map(mapper).toList(), total, totalExact, page, limit, hasMore, nextCursor);
    }
}
