package io.contactmirror.compat;

import io.contactmirror.contact.Contact;
import io.contactmirror.contact.ContactSearch;
import io.contactmirror.instance.Instance;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a whole instance's contacts as one JSON document without holding them in memory: the imitated APIs
 * answer with the complete list, and an instance may hold a million contacts. The document is written on the
 * request's own (virtual) thread rather than as an async {@code StreamingResponseBody}, so the servlet async timeout
 * never cuts a long export off mid-JSON; a client that stops reading is bounded by the connector's write timeout.
 */
@Component
class ContactStream {

    private final ContactSearch search;
    private final JsonMapper json;

    ContactStream(ContactSearch search, JsonMapper json) {
        this.search = search;
        this.json = json;
    }

    /** How the document around the array looks: what comes before it, and how to close it. */
    interface Envelope {
        void open(JsonGenerator generator);

        void close(JsonGenerator generator, long count);
    }

    static final Envelope BARE_ARRAY = new Envelope() {
        @Override
        public void open(JsonGenerator generator) {}

        @Override
        public void close(JsonGenerator generator, long count) {}
    };

    void write(
            HttpServletResponse response,
            Instance instance,
            boolean includeGroups,
            Envelope envelope,
            Function<Contact, Object> item)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        long[] count = {0};
        try (JsonGenerator generator = json.createGenerator(response.getOutputStream())) {
            envelope.open(generator);
            generator.writeStartArray();
            search.forEach(instance, includeGroups, contact -> {
                generator.writePOJO(item.apply(contact));
                count[0]++;
            });
            generator.writeEndArray();
            envelope.close(generator, count[0]);
        }
    }
}
