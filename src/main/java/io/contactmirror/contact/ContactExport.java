package io.contactmirror.contact;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every contact of an instance that matches a filter, as NDJSON or CSV, in list order (name, then id). It reads
 * keyset chunks and holds a database connection only while one chunk is read, so memory and connections stay bounded
 * whatever the instance's size and however slowly the client reads. Each line has exactly the fields of the list
 * API's contact ({@link ContactView}); a test compares the two field by field.
 */
@Component
class ContactExport {

    static final int CHUNK = 5_000;

    /** How a value is written: JSON type, and how CSV spells it. */
    enum Kind {
        NUMBER,
        TEXT,
        BOOLEAN,
        INSTANT,
        JSON
    }

    record Column(String name, Kind kind) {}

    static final List<Column> CHAT = List.of(
            new Column("id", Kind.NUMBER),
            new Column("name", Kind.TEXT),
            new Column("pushName", Kind.TEXT),
            new Column("lastMessageText", Kind.TEXT),
            new Column("lastMessageTimestamp", Kind.INSTANT),
            new Column("unreadCount", Kind.NUMBER));

    /** The contact's fields in {@link ContactView}'s order; {@code chat} stands for the nested chat object. */
    static final List<Column> CONTACT = List.of(
            new Column("id", Kind.NUMBER),
            new Column("name", Kind.TEXT),
            new Column("phone", Kind.TEXT),
            new Column("remoteJid", Kind.TEXT),
            new Column("lid", Kind.TEXT),
            new Column("isGroup", Kind.BOOLEAN),
            new Column("pushName", Kind.TEXT),
            new Column("fullName", Kind.TEXT),
            new Column("firstName", Kind.TEXT),
            new Column("businessName", Kind.TEXT),
            new Column("profilePicUrl", Kind.TEXT),
            new Column("profilePictureUrl", Kind.TEXT),
            new Column("chat", Kind.JSON),
            new Column("assignedUserId", Kind.TEXT),
            new Column("assignedDepartmentId", Kind.TEXT),
            new Column("funnelStageId", Kind.TEXT),
            new Column("funnelStageChangedAt", Kind.INSTANT),
            new Column("notes", Kind.TEXT),
            new Column("customData", Kind.JSON),
            new Column("showTimeInStage", Kind.BOOLEAN),
            new Column("version", Kind.NUMBER),
            new Column("createdAt", Kind.INSTANT),
            new Column("updatedAt", Kind.INSTANT));

    private static final int CHAT_INDEX = 12;

    /** One exported contact: values in {@link #CONTACT} order; at {@code chat}, null or the chat's values. */
    record Row(String sortName, long id, @Nullable Object[] values) {}

    /** What to export. */
    record Filter(
            long instanceId,
            @Nullable String likePattern,
            boolean includeGroups,
            @Nullable Instant updatedSince) {}

    private final JdbcClient jdbc;
    private final JsonMapper json;

    ContactExport(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * The chunk after (sortName, id). Index: contacts_list_idx (or contacts_list_people_idx without groups) walks the
     * list order; with a search, contacts_search_idx narrows it first when the pattern is selective.
     */
    List<Row> chunk(Filter filter, String sortName, long afterId) {
        String sql = """
                SELECT c.id, c.sort_name, c.display_name, c.phone, c.jid, c.lid, c.is_group, c.push_name, c.full_name,
                       c.first_name, c.business_name, c.profile_picture_url, c.assigned_user_id, c.assigned_department_id,
                       c.funnel_stage_id, c.funnel_stage_changed_at, c.notes, CAST(c.custom_data AS text),
                       c.show_time_in_stage, c.version, c.created_at, c.updated_at, ch.id, ch.name, ch.last_message_text,
                       ch.last_message_at, ch.unread_count
                FROM contacts c LEFT JOIN chats ch ON ch.instance_id = c.instance_id AND ch.jid = c.jid
                WHERE c.instance_id = :instance"""
                + (filter.includeGroups() ? "" : " AND NOT c.is_group")
                + (filter.likePattern() == null ? "" : " AND c.search_text LIKE :pattern ESCAPE '\\'")
                + (filter.updatedSince() == null ? "" : " AND c.updated_at >= :since")
                + """
                 AND (c.sort_name, c.id) > (CAST(:sortName AS varchar) COLLATE "C", :id)
                ORDER BY c.sort_name, c.id LIMIT :limit""";
        var statement = jdbc.sql(sql)
                .param("instance", filter.instanceId())
                .param("sortName", sortName)
                .param("id", afterId)
                .param("limit", CHUNK);
        if (filter.likePattern() != null) {
            statement = statement.param("pattern", filter.likePattern());
        }
        if (filter.updatedSince() != null) {
            statement = statement.param("since", Timestamp.from(filter.updatedSince()));
        }
        return statement.query(ContactExport::row).list();
    }

    private static Row row(ResultSet rs, int rowNumber) throws SQLException {
        long id = rs.getLong(1);
        String displayName = rs.getString(3);
        String phone = rs.getString(4);
        String jid = rs.getString(5);
        String pushName = rs.getString(8);
        String picture = rs.getString(12);
        long chatId = rs.getLong(23);
        Object[] chat = rs.wasNull()
                ? null
                : new Object[] {
                    chatId,
                    rs.getString(24) != null ? rs.getString(24) : displayName,
                    pushName,
                    rs.getString(25),
                    instant(rs, 26),
                    (long) rs.getInt(27)
                };
        Object[] values = {
            id,
            displayName != null ? displayName : phone != null ? phone : jid,
            phone,
            jid,
            rs.getString(6),
            rs.getBoolean(7),
            pushName,
            rs.getString(9),
            rs.getString(10),
            rs.getString(11),
            picture,
            picture,
            chat,
            rs.getString(13),
            rs.getString(14),
            rs.getString(15),
            instant(rs, 16),
            rs.getString(17),
            rs.getString(18),
            rs.getBoolean(19),
            rs.getLong(20),
            instant(rs, 21),
            instant(rs, 22)
        };
        return new Row(rs.getString(2), id, values);
    }

    private static @Nullable Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Walks every matching contact chunk by chunk; returns how many were written. */
    long write(Filter filter, RowWriter writer) throws IOException {
        String sortName = "";
        long id = 0;
        long count = 0;
        while (true) {
            List<Row> rows = chunk(filter, sortName, id);
            for (Row row : rows) {
                writer.write(row);
            }
            count += rows.size();
            if (rows.size() < CHUNK) {
                writer.finish();
                return count;
            }
            sortName = rows.getLast().sortName();
            id = rows.getLast().id();
        }
    }

    interface RowWriter {
        void write(Row row) throws IOException;

        void finish() throws IOException;
    }

    /** One contact per line, each a JSON object like the list API's contact. */
    RowWriter ndjson(OutputStream out) {
        JsonGenerator generator = json.writer().withRootValueSeparator("").createGenerator(out);
        return new RowWriter() {
            @Override
            public void write(Row row) {
                writeObject(generator, CONTACT, row.values());
                generator.writeRaw('\n');
            }

            @Override
            public void finish() {
                generator.close();
            }
        };
    }

    private static void writeObject(JsonGenerator generator, List<Column> columns, @Nullable Object[] values) {
        generator.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Object value = values[i];
            generator.writeName(column.name());
            if (value == null) {
                generator.writeNull();
            } else if (i == CHAT_INDEX && columns == CONTACT) {
                writeObject(generator, CHAT, (Object[]) value);
            } else {
                switch (column.kind()) {
                    case NUMBER -> generator.writeNumber((Long) value);
                    case BOOLEAN -> generator.writeBoolean((Boolean) value);
                    case JSON -> generator.writeRawValue((String) value);
                    case TEXT, INSTANT -> generator.writeString(value.toString());
                }
            }
        }
        generator.writeEndObject();
    }

    /** The CSV header: the contact's fields, the chat's flattened as {@code chat.<field>}. */
    static List<String> csvHeader() {
        List<String> header = new ArrayList<>();
        for (Column column : CONTACT) {
            if (column.name().equals("chat")) {
                CHAT.forEach(chat -> header.add("chat." + chat.name()));
            } else {
                header.add(column.name());
            }
        }
        return header;
    }

    /**
     * RFC 4180: CRLF line ends, a field with a comma, quote, CR or LF quoted with inner quotes doubled; a header row;
     * UTF-8. An empty field is null, {@code ""} an empty text; customData is its JSON text.
     */
    RowWriter csv(OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        writer.write(String.join(",", csvHeader()));
        writer.write("\r\n");
        return new RowWriter() {
            @Override
            public void write(Row row) throws IOException {
                Object[] values = row.values();
                boolean first = true;
                for (int i = 0; i < values.length; i++) {
                    if (i == CHAT_INDEX) {
                        Object[] chat = (Object[]) values[i];
                        for (int c = 0; c < CHAT.size(); c++) {
                            first = field(writer, chat == null ? null : chat[c], first);
                        }
                    } else {
                        first = field(writer, values[i], first);
                    }
                }
                writer.write("\r\n");
            }

            @Override
            public void finish() throws IOException {
                writer.flush();
            }
        };
    }

    private static boolean field(Writer writer, @Nullable Object value, boolean first) throws IOException {
        if (!first) {
            writer.write(',');
        }
        if (value != null) {
            String text = value.toString();
            if (text.isEmpty()) {
                // Quoted, so an empty text stays distinguishable from null (an empty field).
                writer.write("\"\"");
            } else if (needsQuotes(text)) {
                writer.write('"');
                writer.write(text.replace("\"", "\"\""));
                writer.write('"');
            } else {
                writer.write(text);
            }
        }
        return false;
    }

    private static boolean needsQuotes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
