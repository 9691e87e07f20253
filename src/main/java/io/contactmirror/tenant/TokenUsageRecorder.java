package io.contactmirror.tenant;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code api_tokens.last_used_at} roughly current without a write per request: a token's use is
 * written at most once per {@link #RESOLUTION}, in a background flush.
 */
@Component
public class TokenUsageRecorder implements SchedulingConfigurer {

    static final Duration RESOLUTION = Duration.ofMinutes(1);

    private final ApiTokenRepository tokens;
    private final TransactionTemplate transactions;
    private final Duration flushInterval;
    private final Map<UUID, Instant> lastRecorded = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();

    TokenUsageRecorder(ApiTokenRepository tokens, TransactionTemplate transactions, TokenProperties properties) {
        this.tokens = tokens;
        this.transactions = transactions;
        this.flushInterval = properties.usageFlushInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::flush, flushInterval);
    }

    public void recordUse(TokenGrant grant, Instant now) {
        Instant stored = lastRecorded.getOrDefault(grant.tokenId(), grant.lastUsedAt());
        if (stored == null || stored.plus(RESOLUTION).isBefore(now)) {
            lastRecorded.put(grant.tokenId(), now);
            pending.put(grant.tokenId(), now);
        }
    }

    @PreDestroy
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        transactions.executeWithoutResult(status -> pending.keySet().forEach(tokenId -> {
            Instant usedAt = pending.remove(tokenId);
            if (usedAt != null) {
                tokens.recordUse(tokenId, usedAt);
            }
        }));
    }
}
