package io.contactmirror.connection.cobalt;

import it.auties.curve25519.Curve25519;
import it.auties.whatsapp.crypto.Hkdf;
import it.auties.whatsapp.io.BinaryEncoder;
import it.auties.whatsapp.model.node.Node;
import it.auties.whatsapp.model.signal.auth.HandshakeMessage;
import it.auties.whatsapp.model.signal.auth.HandshakeMessageSpec;
import it.auties.whatsapp.model.signal.auth.ServerHelloBuilder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A stand-in for WhatsApp's web endpoint on the loopback interface, for driving a real Cobalt client without the
 * internet. Cobalt is pointed at it as an HTTP proxy: the proxy accepts {@code CONNECT web.whatsapp.com:443}, plays
 * the TLS server with a throw-away certificate (which the test JVM is made to trust), answers the WebSocket upgrade
 * and the Noise handshake (Cobalt 0.0.10 does not verify the server's certificate chain inside it), and then does
 * what the test asks: send a node, close the socket, go silent, or send a stream error.
 */
final class LocalWhatsApp implements AutoCloseable {

    private static final byte[] NOISE_PROTOCOL =
            "Noise_XX_25519_AESGCM_SHA256\0\0\0\0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WEB_PROLOGUE = {'W', 'A', 6, 3};
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** One connection Cobalt made, and what the test can do with it. */
    static final class Connection {
        final CountDownLatch clientHello = new CountDownLatch(1);
        final CountDownLatch handshakeDone = new CountDownLatch(1);
        final CountDownLatch closedByClient = new CountDownLatch(1);
        final CountDownLatch sendServerHello = new CountDownLatch(1);
        volatile byte[] clientNoiseKey;
        volatile long handshakeDoneAt;
        private volatile Socket socket;
        private volatile OutputStream out;
        private byte[] writeKey;
        private long writeCounter;

        boolean await(CountDownLatch latch) throws InterruptedException {
            return latch.await(30, TimeUnit.SECONDS);
        }

        /** Sends a node to the client, encrypted as WhatsApp does after the handshake. */
        synchronized void send(Node node) throws Exception {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(writeKey, "AES"),
                    new GCMParameterSpec(128, iv(writeCounter++)));
            sendFrame(out, cipher.doFinal(BinaryEncoder.encode(node)));
        }

        /** Ends the WebSocket with a Close frame, as WhatsApp's server does, then drops the TCP connection. */
        synchronized void close() throws IOException {
            try {
                out.write(new byte[] {(byte) 0x88, 2, 0x03, (byte) 0xE8});
                out.flush();
            } finally {
                socket.close();
            }
        }
    }

    private final ServerSocket proxy;
    private final SSLContext serverTls;
    private final SSLContext previousDefault;
    private final ProxySelector previousProxySelector;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    /** Whether the server answers the client hello at once, or waits for the test to release it. */
    volatile boolean holdServerHello;

    LocalWhatsApp(Path directory) throws Exception {
        Path keystore = directory.resolve("web.whatsapp.com.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "web",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=web.whatsapp.com",
                        "-ext",
                        "SAN=dns:web.whatsapp.com",
                        "-validity",
                        "2",
                        "-keystore",
                        keystore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit",
                        "-keypass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0 || !Files.exists(keystore)) {
            throw new IllegalStateException("keytool failed: " + keytoolOutput);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        // Cobalt builds a new HttpClient per connection, which takes the JVM's default TLS context at that moment.
        previousDefault = SSLContext.getDefault();
        SSLContext.setDefault(clientTls);
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        // Cobalt 0.0.10 fetches the web client's version with a client of its own that ignores the configured proxy
        // and uses the JVM's default proxy selector instead.
        previousProxySelector = ProxySelector.getDefault();
        ProxySelector.setDefault(
                ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getLocalPort())));
        acceptor = Thread.ofPlatform().name("local-whatsapp").daemon().start(this::accept);
    }

    URI proxyUri() {
        return URI.create("http://127.0.0.1:" + proxy.getLocalPort());
    }

    List<Connection> connections() {
        return connections;
    }

    Connection awaitConnection(int index) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (connections.size() <= index) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Cobalt did not connect (" + connections.size() + " connections)");
            }
            Thread.sleep(20);
        }
        return connections.get(index);
    }

    private void accept() {
        while (!proxy.isClosed()) {
            try {
                Socket socket = proxy.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException ex) {
                return;
            }
        }
    }

    private void serve(Socket raw) {
        var connection = new Connection();
        try (raw) {
            InputStream rawIn = raw.getInputStream();
            String connect = readHead(rawIn);
            if (!connect.startsWith("CONNECT web.whatsapp.com:443 ")) {
                raw.getOutputStream().write("HTTP/1.1 403 Forbidden\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            raw.getOutputStream()
                    .write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
            SSLSocket tls = (SSLSocket) serverTls.getSocketFactory().createSocket(raw, null, true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            InputStream in = tls.getInputStream();
            OutputStream out = tls.getOutputStream();
            String request = readHead(in);
            if (!request.toLowerCase().contains("sec-websocket-key:")) {
                // Cobalt reads the current web client revision from WhatsApp's home page before logging in.
                byte[] page = "<script>{\"client_revision\":1022032575}</script>".getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " + page.length
                                + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(page);
                out.flush();
                return;
            }
            connection.socket = tls;
            connection.out = out;
            connections.add(connection);
            upgrade(request, out);
            var frames = new Frames(new DataInputStream(in));
            handshake(connection, frames, out);
            // Whatever the client sends afterwards (pings, its Close) is read and ignored until it closes.
            while (frames.next() != null) {
                // ignore
            }
        } catch (EOFException | java.net.SocketException ex) {
            // The client (or the test) closed the connection.
        } catch (Exception ex) {
            System.err.println("local-whatsapp: " + ex);
        } finally {
            connection.closedByClient.countDown();
        }
    }

    private void handshake(Connection connection, Frames frames, OutputStream out) throws Exception {
        byte[] first = frames.nextMessage();
        if (!Arrays.equals(Arrays.copyOf(first, 4), WEB_PROLOGUE)) {
            throw new IllegalStateException("no WhatsApp Web prologue");
        }
        byte[] hello = unframe(Arrays.copyOfRange(first, 4, first.length));
        byte[] clientEphemeral =
                HandshakeMessageSpec.decode(hello).clientHello().ephemeral();
        connection.clientHello.countDown();
        if (holdServerHello && !connection.sendServerHello.await(60, TimeUnit.SECONDS)) {
            return;
        }
        var noise = new Noise();
        noise.updateHash(WEB_PROLOGUE);
        noise.updateHash(clientEphemeral);
        byte[] ephemeral = Curve25519.randomPrivateKey();
        byte[] ephemeralPublic = Curve25519.getPublicKey(ephemeral);
        byte[] staticKey = Curve25519.randomPrivateKey();
        noise.updateHash(ephemeralPublic);
        noise.mixIntoKey(Curve25519.sharedKey(clientEphemeral, ephemeral));
        byte[] staticText = noise.encrypt(Curve25519.getPublicKey(staticKey));
        noise.mixIntoKey(Curve25519.sharedKey(clientEphemeral, staticKey));
        byte[] payload = noise.encrypt(new byte[0]);
        var serverHello = new ServerHelloBuilder()
                .ephemeral(ephemeralPublic)
                .staticText(staticText)
                .payload(payload)
                .build();
        sendFrame(out, HandshakeMessageSpec.encode(new HandshakeMessage(null, serverHello, null)));

        var finish = HandshakeMessageSpec.decode(unframe(frames.nextMessage())).clientFinish();
        byte[] clientNoiseKey = noise.decrypt(finish._static());
        noise.mixIntoKey(Curve25519.sharedKey(clientNoiseKey, ephemeral));
        noise.decrypt(finish.payload());
        byte[] keys = Hkdf.extractAndExpand(new byte[0], noise.salt, null, 64);
        // The client reads with the second half.
        connection.writeKey = Arrays.copyOfRange(keys, 32, 64);
        connection.clientNoiseKey = clientNoiseKey;
        connection.handshakeDoneAt = System.nanoTime();
        connection.handshakeDone.countDown();
    }

    /**
     * Strips the length prefix of a client frame. Cobalt 0.0.10 writes it as 3 bytes or, from its request writer, as
     * 6 (four bytes of the length's upper half, then its lower 16 bits); either way it ends with the length's low bits.
     */
    private static byte[] unframe(byte[] message) {
        for (int header = 3; header <= 6; header++) {
            int low = ((message[header - 2] & 0xFF) << 8) | (message[header - 1] & 0xFF);
            if (low == ((message.length - header) & 0xFFFF)) {
                return Arrays.copyOfRange(message, header, message.length);
            }
        }
        throw new IllegalStateException("no length prefix in a frame of " + message.length + " bytes");
    }

    /** One WhatsApp frame (3-byte length, payload) as one unmasked binary WebSocket frame. */
    private static void sendFrame(OutputStream out, byte[] payload) throws IOException {
        byte[] framed = new byte[payload.length + 3];
        framed[0] = (byte) (payload.length >> 16);
        framed[1] = (byte) (payload.length >> 8);
        framed[2] = (byte) payload.length;
        System.arraycopy(payload, 0, framed, 3, payload.length);
        var frame = new ByteArrayOutputStream();
        frame.write(0x82);
        if (framed.length < 126) {
            frame.write(framed.length);
        } else {
            frame.write(126);
            frame.write(framed.length >> 8);
            frame.write(framed.length);
        }
        frame.write(framed);
        out.write(frame.toByteArray());
        out.flush();
    }

    private static void upgrade(String request, OutputStream out) throws Exception {
        String key = request.lines()
                .filter(line -> line.toLowerCase().startsWith("sec-websocket-key:"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("not a WebSocket upgrade: " + request));
        String accept = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
        out.write(
                ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                                + accept + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static GCMParameterSpec ivSpec(long counter) {
        return new GCMParameterSpec(128, iv(counter));
    }

    private static byte[] iv(long counter) {
        byte[] iv = new byte[12];
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (counter >> (56 - 8 * i));
        }
        return iv;
    }

    /** Client-to-server WebSocket frames (masked), reassembled into messages. */
    private static final class Frames {
        private final DataInputStream in;

        Frames(DataInputStream in) {
            this.in = in;
        }

        /** The next data message; control frames are skipped. Null once the client sent Close. */
        byte[] next() throws IOException {
            var message = new ByteArrayOutputStream();
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = new byte[4];
                if ((second & 0x80) != 0) {
                    in.readFully(mask);
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = first & 0x0F;
                if (opcode == 8) {
                    return null;
                }
                if (opcode >= 8) {
                    continue;
                }
                message.write(payload);
                if ((first & 0x80) != 0) {
                    return message.toByteArray();
                }
            }
        }

        byte[] nextMessage() throws IOException {
            byte[] message = next();
            if (message == null) {
                throw new EOFException();
            }
            return message;
        }
    }

    /** The server's side of Cobalt's Noise XX handshake (same hash, key mixing and nonces as its SocketHandshake). */
    private static final class Noise {
        private byte[] hash = NOISE_PROTOCOL;
        private byte[] salt = NOISE_PROTOCOL;
        private byte[] key = NOISE_PROTOCOL;
        private long counter;

        void updateHash(byte[] data) throws Exception {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(hash);
            digest.update(data);
            hash = digest.digest();
        }

        byte[] encrypt(byte[] plaintext) throws Exception {
            byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, plaintext);
            updateHash(ciphertext);
            return ciphertext;
        }

        byte[] decrypt(byte[] ciphertext) throws Exception {
            byte[] plaintext = cipher(Cipher.DECRYPT_MODE, ciphertext);
            updateHash(ciphertext);
            return plaintext;
        }

        private byte[] cipher(int mode, byte[] input) throws Exception {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), ivSpec(counter++));
            cipher.updateAAD(hash);
            return cipher.doFinal(input);
        }

        void mixIntoKey(byte[] material) {
            byte[] expanded = Hkdf.extractAndExpand(material, salt, null, 64);
            salt = Arrays.copyOfRange(expanded, 0, 32);
            key = Arrays.copyOfRange(expanded, 32, 64);
            counter = 0;
        }
    }

    @Override
    public void close() throws Exception {
        proxy.close();
        for (Connection connection : connections) {
            if (connection.socket != null) {
                connection.socket.close();
            }
        }
        SSLContext.setDefault(previousDefault);
        ProxySelector.setDefault(previousProxySelector);
        acceptor.join(5000);
    }
}
