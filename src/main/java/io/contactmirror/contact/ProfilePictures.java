package io.contactmirror.contact;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.LiveSession;
import io.contactmirror.connection.ProfilePicture;
import io.contactmirror.connection.SocketManager;
import io.contactmirror.instance.Instance;
import io.contactmirror.instance.InstanceResolver;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Service;

/** Profile pictures, asked of the live session and cached for a minute (bounded; hits and misses in the cache metrics). */
@Service
public class ProfilePictures {

    private static final Duration CACHE_TTL = Duration.ofMinutes(1);
    private static final int CACHE_SIZE = 10_000;

    private final ContactRepository contacts;
    private final InstanceResolver instances;
    private final SocketManager socketManager;
    private final Cache<String, Optional<ProfilePicture>> cache;

    ProfilePictures(
            ContactRepository contacts, InstanceResolver instances, SocketManager socketManager, MeterRegistry meters) {
        this.contacts = contacts;
        this.instances = instances;
        this.socketManager = socketManager;
        this.cache = Caffeine.newBuilder()
                .maximumSize(CACHE_SIZE)
                .expireAfterWrite(CACHE_TTL)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(meters, cache, "profilePictures");
    }

    /** The answer of the profile-picture endpoint (shape of the WUTS seed API). */
    public record PictureResult(String jid, String url, String id, boolean preview, boolean changed) {}

    public CompletableFuture<PictureResult> profilePicture(
            TenantPrincipal principal,
            String instanceName,
            String phone,
            String jid,
            boolean preview,
            String existingId) {
        Instance instance = instances.resolve(principal, instanceName);
        String identity = ContactLookup.identity(phone, jid);
        String cacheKey = instance.id() + "|" + identity + "|" + preview;
        Optional<ProfilePicture> cached = cache.getIfPresent(cacheKey);
        CompletableFuture<Optional<ProfilePicture>> picture;
        if (cached != null) {
            picture = CompletableFuture.completedFuture(cached);
        } else {
            LiveSession session = liveSession(instance);
            Duration timeout = socketManager.liveQueryTimeout();
            picture = session.queryProfilePicture(identity, preview)
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(ex -> {
                        Throwable cause = ex instanceof java.util.concurrent.CompletionException ? ex.getCause() : ex;
                        throw cause instanceof TimeoutException
                                ? new ApiException(
                                        ErrorCode.ENGINE_TIMEOUT,
                                        "WhatsApp did not answer within " + timeout.toSeconds() + " s")
                                : new ApiException(
                                        ErrorCode.NOT_CONNECTED,
                                        "The instance's session could not answer: " + cause.getMessage());
                    })
                    .thenApply(result -> {
                        cache.put(cacheKey, result);
                        result.ifPresent(
                                found -> contacts.savePicture(instance.id(), identity, found.url(), found.id()));
                        return result;
                    });
        }
        return picture.thenApply(found -> {
            String id = found.map(ProfilePicture::id).orElse(null);
            boolean changed = existingId == null || !existingId.equals(id);
            return new PictureResult(
                    identity, changed ? found.map(ProfilePicture::url).orElse(null) : null, id, preview, changed);
        });
    }

    private LiveSession liveSession(Instance instance) {
        return socketManager
                .localSession(instance.id())
                .orElseThrow(() -> instance.status() == InstanceStatus.CONNECTED
                        ? new ApiException(
                                ErrorCode.SERVICE_UNAVAILABLE,
                                "The instance's session is held by another replica right now; retry (Retry-After: 1)")
                        : new ApiException(
                                ErrorCode.NOT_CONNECTED,
                                "The instance has no live session (status " + instance.status() + ")"));
    }
}
