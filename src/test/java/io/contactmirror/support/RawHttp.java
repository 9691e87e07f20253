package io.contactmirror.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Sends exact bytes over a socket (what HTTP clients refuse to send) and reads one HTTP/1.1 response. */
public final class RawHttp {

    private RawHttp() {}

    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Response send(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException ex) {
                // The server may answer (413) and close before an oversized body is written: read that answer.
            }
            return read(socket.getInputStream());
        }
    }

    public static Response send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A request with {@code Connection: close}; {@code head} is the request line plus header lines, CRLF-separated. */
    public static Response request(int port, String head, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String text = head + "\r\nHost: localhost\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Length: " + bytes.length + "\r\n") + "\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(bytes);
        return send(port, all.toByteArray());
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        int b;
        while (last != 0x0d0a0d0a && (b = in.read()) != -1) {
            head.write(b);
            last = (last << 8) | b;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        if (lines.length == 0 || lines[0].isEmpty()) {
            throw new IOException("no response");
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body;
        if (String.valueOf(headers.get("content-type")).startsWith("text/event-stream")) {
            // A live stream never ends by itself: its status and headers are the answer.
            body = new byte[0];
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                int length = Integer.parseInt(size.trim().split(";")[0], 16);
                if (length == 0) {
                    break;
                }
                chunks.writeBytes(in.readNBytes(length));
                readLine(in);
            }
            body = chunks.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
