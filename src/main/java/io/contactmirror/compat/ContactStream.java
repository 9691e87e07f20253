package io.contactmirror.compat;

import io.contactmirror.contact.Contact;
import io.contactmirror.contact.ContactService;
import io.contactmirror.instance.Instance;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a whole instance's contacts as one JSON document without holding them in memory: the imitated APIs
 * answer with the complete list, and an instance may hold a million contacts.
 */
@Component
class ContactStream {

    private final ContactService contactService;
    private final JsonMapper json;

    ContactStream(ContactService contactService, JsonMapper json) {
        this.contactService = contactService;
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

    ResponseEntity<StreamingResponseBody> respond(
            Instance instance, boolean includeGroups, Envelope envelope, Function<Contact, Object> item) {
        StreamingResponseBody body = out -> {
            try (JsonGenerator generator = json.createGenerator(out)) {
                envelope.open(generator);
                generator.writeStartArray();
                long[] count = {0};
                contactService.forEach(instance, includeGroups, contact -> {
                    generator.writePOJO(item.apply(contact));
                    count[0]++;
                });
                generator.writeEndArray();
                envelope.close(generator, count[0]);
            }
        };
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
