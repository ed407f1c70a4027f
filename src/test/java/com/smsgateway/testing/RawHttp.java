package com.smsgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection written byte for byte: for requests a well-behaved client cannot send
 * (lying Content-Length, endless chunked bodies, oversize headers) and for what happens to the next request on it.
 */
public final class RawHttp implements AutoCloseable {
  /** A response as read off the wire; {@code headers} keys are lower case. */
  public record Response(int status, Map<String, String> headers, String body) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    } catch (IOException e) {
      throw new AssertionError("cannot connect to 127.0.0.1:" + port, e);
    }
  }

  /** Writes raw bytes; false when the server had already closed the connection. */
  public boolean write(String raw) {
    return write(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  public boolean write(byte[] raw) {
    try {
      out.write(raw);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads one response (Content-Length bodies, or until close); null when the connection closed first. */
  public Response read() {
    try {
      String statusLine = line();
      if (statusLine == null) {
        return null;
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String header = line(); header != null && !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
      }
      byte[] body;
      if (headers.containsKey("content-length")) {
        body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
          chunks.write(in.readNBytes(size));
          line();
        }
        line();
        body = chunks.toByteArray();
      } else {
        body = in.readAllBytes();
      }
      return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a test socket
    }
  }
}
