package io.contactmirror.connection.sandbox;

import io.contactmirror.connection.DisconnectReason;
import io.contactmirror.connection.EngineType;
import io.contactmirror.connection.SandboxControl;
import io.contactmirror.connection.SandboxEvent;
import io.contactmirror.connection.engine.EngineSession;
import io.contactmirror.connection.engine.SessionListener;
import io.contactmirror.connection.engine.SessionRequest;
import io.contactmirror.connection.engine.WhatsAppEngine;
import io.contactmirror.web.ApiException;
import io.contactmirror.web.ErrorCode;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox engine: a deterministic simulated WhatsApp account per instance, for demos, tests, benchmarks and
 * customers' own CI. It goes through the states of a real phone, and all its state lives in the database so any
 * replica can serve it.
 */
@Component
@EnableConfigurationProperties(SandboxProperties.class)
class SandboxEngine implements WhatsAppEngine, SandboxControl {

    private static final Pattern PHONE = Pattern.compile("^[0-9]{7,15}@s\\.whatsapp\\.net$");
    private static final Pattern LID = Pattern.compile("^[0-9]{5,20}@lid$");
    private static final Pattern USER_OR_GROUP =
            Pattern.compile("^([0-9]{7,15}@s\\.whatsapp\\.net|[0-9]{5,20}@lid|[0-9]{5,25}(-[0-9]{5,15})?@g\\.us)$");

    private final SandboxRepository repository;
    private final SandboxProperties properties;
    private final JsonMapper json;

    SandboxEngine(SandboxRepository repository, SandboxProperties properties, JsonMapper json) {
        this.repository = repository;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public EngineType type() {
        return EngineType.SANDBOX;
    }

    @Override
    public EngineSession open(SessionRequest request, SessionListener listener) {
        if (repository.find(request.instanceId()).isEmpty()) {
            configure(request.instanceId(), null, null, null);
        }
        SandboxSession session = new SandboxSession(request, listener, repository, properties, json);
        session.start();
        return session;
    }

    @Override
    public void logoutWithoutSession(long instanceId) {
        repository.unpaired(instanceId);
    }

    @Override
    public void forget(long instanceId) {
        repository.delete(instanceId);
    }

    @Override
    public void configure(long instanceId, Long seed, Integer contacts, Integer groups) {
        repository.create(
                instanceId,
                seed != null ? seed : instanceId,
                contacts != null ? contacts : properties.contacts(),
                groups != null ? groups : properties.groups());
    }

    @Override
    public void scan(long instanceId) {
        if (!repository.requestScan(instanceId)) {
            throw new ApiException(ErrorCode.INSTANCE_NOT_FOUND, "Instance not found");
        }
    }

    private static void requireJid(String field, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw ApiException.invalid(
                    field,
                    "must be a JID like 5511999999999@s.whatsapp.net, 123456789012345@lid or 120363000000000001@g.us");
        }
    }

    @Override
    public void inject(long instanceId, SandboxEvent event) {
        switch (event) {
            case SandboxEvent.ContactChange change -> {
                requireJid("jid", change.jid(), USER_OR_GROUP);
                if (change.lid() != null) {
                    requireJid("lid", change.lid(), LID);
                }
            }
            case SandboxEvent.Mapping mapping -> {
                requireJid("lid", mapping.lid(), LID);
                requireJid("phone", mapping.phone(), PHONE);
            }
            case SandboxEvent.ChatUpdate chat -> requireJid("jid", chat.jid(), USER_OR_GROUP);
            case SandboxEvent.Disconnect disconnect -> {
                if (disconnect.reason() == DisconnectReason.CLOSED
                        || disconnect.reason() == DisconnectReason.CONNECT_FAILED) {
                    throw ApiException.invalid("reason", "must be CONNECTION_LOST, LOGGED_OUT or BANNED");
                }
            }
        }
        repository.append(instanceId, json.writeValueAsString(event));
    }
}
