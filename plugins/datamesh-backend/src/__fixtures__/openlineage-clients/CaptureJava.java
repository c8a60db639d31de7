import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.GzipCompressingEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.Timeout;

/**
 * Captures, byte for byte, the requests of the OpenLineage Java client's HttpTransport
 * (client/java/src/main/java/io/openlineage/client/transports/HttpTransport.java): the same
 * Apache HttpClient 5 calls, in the same order (client built as withTimeout builds it, request
 * as emit, setHeaders and setBody build it), sent to a capture socket on 127.0.0.1:17008. See
 * SOURCES.md for what differs from the released client.
 *
 * <p>Run by hand: javac -cp JARS CaptureJava.java && java -cp JARS:. CaptureJava OUT_FOLDER
 */
public class CaptureJava {
  static final int PORT = 17008;
  static final String API_KEY = "pipeline-token";
  static final List<byte[]> received = new ArrayList<>();

  // the RunEvent as the client's mapper writes its generated model: fields in the JSON schema's
  // order, nulls left out, times as ISO 8601
  static final String COMPLETE =
      "{\"eventTime\":\"2026-12-01T10:05:00Z\","
          + "\"producer\":\"https://github.com/OpenLineage/OpenLineage/tree/1.53.0/integration/spark\","
          + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
          + "\"eventType\":\"COMPLETE\","
          + "\"run\":{\"runId\":\"0193a8a4-5f7e-7c4d-9a3b-3f1c2e9d8b72\",\"facets\":{}},"
          + "\"job\":{\"namespace\":\"spark\",\"name\":\"orders_daily.execute_insert_into_hadoop_fs_relation_command\",\"facets\":{}},"
          + "\"inputs\":[{\"namespace\":\"postgres://db:5432\",\"name\":\"shop.public.raw_orders\",\"facets\":{},\"inputFacets\":{}}],"
          + "\"outputs\":[{\"namespace\":\"s3://lake\",\"name\":\"orders/daily\",\"facets\":{},\"outputFacets\":{}}]}";

  public static void main(String[] args) throws Exception {
    String out = args[0];
    ServerSocket server = new ServerSocket(PORT);
    Thread capture = new Thread(() -> serve(server));
    capture.setDaemon(true);
    capture.start();

    // transport.url as the README gives it: the URL's own path, no endpoint
    URI uri = URI.create("http://127.0.0.1:" + PORT + "/api/datamesh/v1/lineage");
    emit(uri, COMPLETE, false);
    write(out + "/java-complete.json", "url: " + uri + ", auth: api_key");
    emit(uri, COMPLETE, true);
    write(out + "/java-complete-gzip.json", "url: " + uri + ", auth: api_key, compression: gzip");
  }

  /** HttpTransport.withTimeout: the client the transport builds for a 5 s default timeout. */
  static CloseableHttpClient client() {
    Timeout timeout = Timeout.ofMilliseconds(5000);
    return HttpClientBuilder.create()
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectionRequestTimeout(timeout)
                .setResponseTimeout(timeout)
                .build())
        .setConnectionManager(
            PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(timeout).build())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .build())
        .build();
  }

  /** HttpTransport.emit with setHeaders and setBody. */
  static void emit(URI uri, String eventAsJson, boolean gzip) throws Exception {
    try (CloseableHttpClient http = client()) {
      ClassicRequestBuilder request = ClassicRequestBuilder.post(uri);
      request.setHeader(HttpHeaders.ACCEPT, ContentType.APPLICATION_JSON.toString());
      request.setHeader(HttpHeaders.CONTENT_TYPE, ContentType.APPLICATION_JSON.toString());
      request.addHeader(HttpHeaders.AUTHORIZATION, String.format("Bearer %s", API_KEY));
      if (gzip) {
        request.addHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
      }
      HttpEntity entity = new StringEntity(eventAsJson, ContentType.APPLICATION_JSON);
      if (gzip) {
        entity = new GzipCompressingEntity(entity);
      }
      request.setEntity(entity);
      http.execute(
          request.build(),
          response -> {
            EntityUtils.consume(response.getEntity());
            return null;
          });
    }
  }

  static void serve(ServerSocket server) {
    while (true) {
      try (Socket socket = server.accept()) {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String text = "";
        while (!complete(text)) {
          int b = in.read();
          if (b < 0) break;
          raw.write(b);
          text = raw.toString(StandardCharsets.ISO_8859_1);
        }
        synchronized (received) {
          received.add(raw.toByteArray());
        }
        OutputStream reply = socket.getOutputStream();
        reply.write(
            "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        reply.flush();
      } catch (Exception e) {
        return;
      }
    }
  }

  /** Whether a request is whole: its head, and a Content-Length body or a last chunk. */
  static boolean complete(String text) {
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return false;
    String head = text.substring(0, end).toLowerCase();
    String body = text.substring(end + 4);
    if (head.contains("transfer-encoding: chunked")) return body.endsWith("0\r\n\r\n");
    for (String line : head.split("\r\n")) {
      if (line.startsWith("content-length: ")) {
        return body.length() >= Integer.parseInt(line.substring(16).trim());
      }
    }
    return true;
  }

  static void write(String file, String config) throws Exception {
    byte[] raw;
    synchronized (received) {
      raw = received.remove(received.size() - 1);
    }
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    String[] lines = text.substring(0, end).split("\r\n");
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"client\": \"openlineage-java HttpTransport's calls on Apache HttpClient ")
        .append(org.apache.hc.core5.util.VersionInfo.getSoftwareInfo(
            "Apache-HttpClient", "org.apache.hc.client5", CaptureJava.class))
        .append("\",\n  \"config\": \"").append(config).append("\",\n")
        .append("  \"requestLine\": \"").append(lines[0]).append("\",\n  \"headers\": [");
    for (int i = 1; i < lines.length; i++) {
      String[] kv = lines[i].split(": ", 2);
      json.append(i > 1 ? ",\n    " : "\n    ")
          .append("[\"").append(kv[0]).append("\", \"").append(kv[1].replace("\"", "\\\"")).append("\"]");
    }
    json.append("\n  ],\n  \"bodyBase64\": \"")
        .append(Base64.getEncoder().encodeToString(
            text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1)))
        .append("\"\n}\n");
    try (FileOutputStream f = new FileOutputStream(file)) {
      f.write(json.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
