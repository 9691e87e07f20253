package io.contactmirror.instance;

import io.contactmirror.connection.DesiredState;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.InstanceStatus;
import io.contactmirror.connection.SandboxControl;
import io.contactmirror.connection.SandboxEvent;
import io.contactmirror.connection.SocketManager;
import io.contactmirror.tenant.TenantPrincipal;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import io.contactmirror.web.PageResult;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Instance life cycle as the API sees it. Requests (connect, disconnect, log out, delete, pair by phone) are
 * recorded on the instance row; the replica that owns the instance's session carries them out.
 */
@Service
public class InstanceService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InstanceService.class);
    private static final String RANDOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final Duration PAIRING_CODE_WAIT = Duration.ofSeconds(15);

    private final InstanceRepository instances;
    private final InstanceResolver resolver;
    private final SocketManager socketManager;
    private final SandboxControl sandbox;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService pollers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("pairing-code-poller").daemon().factory());

    InstanceService(
            InstanceRepository instances,
            InstanceResolver resolver,
            SocketManager socketManager,
            SandboxControl sandbox) {
        this.instances = instances;
        this.resolver = resolver;
        this.socketManager = socketManager;
        this.sandbox = sandbox;
    }

    /** Sizing of a sandbox account; nulls take the configured defaults. */
    public record SandboxOptions(Long seed, Integer contacts, Integer groups) {}

    @Transactional
    public Instance create(
            TenantPrincipal principal, String name, String displayName, EngineType engine, SandboxOptions sandbox) {
        if (principal.boundInstanceId() != null) {
            throw new ApiException(ErrorCode.FORBIDDEN, "A token bound to an instance cannot create instances");
        }
        if (instances.nameTaken(principal.tenantId(), name)) {
            throw new ApiException(ErrorCode.CONFLICT, "An instance named '" + name + "' already exists");
        }
        String display = displayName == null || displayName.isBlank() ? name : displayName.trim();
        long id;
        try {
            id = instances.insert(principal.tenantId(), name, display, apiInstanceName(principal, name), engine);
        } catch (DuplicateKeyException ex) {
            throw new ApiException(ErrorCode.CONFLICT, "An instance named '" + name + "' already exists");
        }
        if (engine == EngineType.SANDBOX) {
            this.sandbox.configure(
                    id,
                    sandbox == null ? null : sandbox.seed(),
                    sandbox == null ? null : sandbox.contacts(),
                    sandbox == null ? null : sandbox.groups());
        }
        Instance created = instances.findById(id).orElseThrow();
        org.slf4j.MDC.put(io.contactmirror.web.RequestIdFilter.INSTANCE_MDC_KEY, created.apiInstanceName());
        log.info("Instance {} created ({} engine)", created.apiInstanceName(), engine.value());
        return created;
    }

    public PageResult<Instance> list(TenantPrincipal principal, int page, int limit) {
        long offset = PageResult.offset(page, limit);
        return new PageResult<>(
                instances.page(principal.tenantId(), principal.boundInstanceId(), offset, limit),
                instances.count(principal.tenantId(), principal.boundInstanceId()),
                page,
                limit);
    }

    public Instance get(TenantPrincipal principal, String name) {
        return resolver.resolve(principal, name);
    }

    public Instance connect(TenantPrincipal principal, String name) {
        Instance instance = resolver.resolve(principal, name);
        if (instance.desiredState() != DesiredState.RUNNING) {
            socketManager.request(instance.id(), DesiredState.RUNNING, null);
        }
        return instances.findById(instance.id()).orElseThrow(InstanceResolver::notFound);
    }

    public Instance disconnect(TenantPrincipal principal, String name) {
        return request(principal, name, DesiredState.STOPPED);
    }

    public Instance logout(TenantPrincipal principal, String name) {
        return request(principal, name, DesiredState.LOGGED_OUT);
    }

    public void delete(TenantPrincipal principal, String name) {
        request(principal, name, DesiredState.DELETED);
    }

    private Instance request(TenantPrincipal principal, String name, DesiredState desired) {
        Instance instance = resolver.resolve(principal, name);
        socketManager.request(instance.id(), desired, null);
        return instances.findById(instance.id()).orElse(instance);
    }

    /** The sandbox of a sandbox instance; other instances have none (and must not learn otherwise). */
    private Instance sandboxInstance(TenantPrincipal principal, String name) {
        Instance instance = resolver.resolve(principal, name);
        if (instance.engine() != EngineType.SANDBOX) {
            throw new ApiException(ErrorCode.NOT_FOUND, "This instance has no sandbox: it is a real WhatsApp instance");
        }
        return instance;
    }

    public void sandboxScan(TenantPrincipal principal, String name) {
        sandbox.scan(sandboxInstance(principal, name).id());
    }

    public void sandboxInject(TenantPrincipal principal, String name, SandboxEvent event) {
        sandbox.inject(sandboxInstance(principal, name).id(), event);
    }

    /** The current QR code, while the instance is waiting to be paired. */
    public Instance qrCode(TenantPrincipal principal, String name) {
        Instance instance = resolver.resolve(principal, name);
        if (instance.qrPayload() == null) {
            throw new ApiException(
                    ErrorCode.QR_NOT_AVAILABLE,
                    instance.status() == InstanceStatus.CONNECTED
                            ? "The instance is already paired and connected"
                            : "No QR code yet (status " + instance.status() + "); call connect and retry in a moment");
        }
        return instance;
    }

    /** Asks the owning replica to pair by phone number and completes with the code once the engine issued it. */
    public CompletableFuture<Instance> requestPairingCode(TenantPrincipal principal, String name, String phone) {
        Instance instance = resolver.resolve(principal, name);
        if (instance.status() == InstanceStatus.CONNECTED) {
            throw new ApiException(ErrorCode.ALREADY_PAIRED, "The instance is already paired and connected");
        }
        socketManager.request(instance.id(), DesiredState.RUNNING, phone);
        CompletableFuture<Instance> result = new CompletableFuture<>();
        Instant deadline = Instant.now().plus(PAIRING_CODE_WAIT);
        pollForPairingCode(instance.id(), deadline, result);
        return result;
    }

    private void pollForPairingCode(long instanceId, Instant deadline, CompletableFuture<Instance> result) {
        pollers.schedule(
                () -> {
                    try {
                        var current = instances.findById(instanceId);
                        if (current.isEmpty()) {
                            result.completeExceptionally(InstanceResolver.notFound());
                        } else if (current.get().pairingCode() != null) {
                            result.complete(current.get());
                        } else if (Instant.now().isAfter(deadline)) {
                            result.completeExceptionally(ApiException.retryLater(
                                    "No pairing code yet; retry the request in a few seconds", Duration.ofSeconds(3)));
                        } else {
                            pollForPairingCode(instanceId, deadline, result);
                        }
                    } catch (RuntimeException ex) {
                        result.completeExceptionally(ex);
                    }
                },
                100,
                TimeUnit.MILLISECONDS);
    }

    private String apiInstanceName(TenantPrincipal principal, String name) {
        String tenantPart = Long.toString(Math.abs(principal.tenantId().getMostSignificantBits() % 1_000_000L), 36);
        StringBuilder randomPart = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            randomPart.append(RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length())));
        }
        return "t" + tenantPart + "_" + randomPart + "_" + name;
    }
}
