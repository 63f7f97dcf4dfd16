package io.loom.cache.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare RESP2 connection for the probes: sends commands and parses replies without any client
 * library in between, so what it does on the server is exactly what it sends. Replies are
 * {@code String} (simple and bulk strings), {@code byte[]} (bulk strings when asked for bytes),
 * {@code Long}, {@code List<Object>} or {@code null}; an error reply throws {@link BenchException}.
 * Not thread-safe.
 */
final class RespConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespConnection(String host, int port) {
        try {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new BenchException("cannot connect to Redis at " + host + ":" + port, e);
        }
    }

    /** The client-side port: the address MONITOR shows for this connection's commands. */
    int localPort() {
        return socket.getLocalPort();
    }

    /** Sends one command and returns its reply, bulk strings decoded as UTF-8. */
    Object call(String... args) {
        send(args);
        return read(false);
    }

    /** Sends one command and returns its reply, bulk strings kept as bytes. */
    Object callForBytes(String... args) {
        send(args);
        return read(true);
    }

    /** Sends one command without reading its reply (MONITOR). */
    void send(String... args) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            buffer.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                buffer.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buffer.write(bytes);
                buffer.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(buffer.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new BenchException("cannot send " + args[0] + " to Redis", e);
        }
    }

    /** Reads the next reply. */
    Object read(boolean bytes) {
        try {
            int type = in.read();
            String line = readLine();
            return switch (type) {
                case '+' -> line;
                case '-' -> throw new BenchException("Redis replied with an error: " + line);
                case ':' -> Long.parseLong(line);
                case '$' -> bulk(Integer.parseInt(line), bytes);
                case '*' -> array(Integer.parseInt(line), bytes);
                case -1 -> throw new BenchException("Redis closed the connection");
                default -> throw new BenchException("unexpected RESP type '" + (char) type + "' before " + line);
            };
        } catch (IOException e) {
            throw new BenchException("cannot read a Redis reply", e);
        }
    }

    private Object bulk(int length, boolean bytes) throws IOException {
        if (length < 0) {
            return null;
        }
        byte[] data = in.readNBytes(length);
        readLine();
        return bytes ? data : new String(data, StandardCharsets.UTF_8);
    }

    private List<Object> array(int length, boolean bytes) {
        if (length < 0) {
            return null;
        }
        List<Object> items = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            items.add(read(bytes));
        }
        return items;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            line.append((char) c);
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new BenchException("cannot close a Redis connection", e);
        }
    }
}
