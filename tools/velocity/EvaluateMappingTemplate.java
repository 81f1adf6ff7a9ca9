import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

/**
 * Evaluates an API Gateway response mapping template with Apache Velocity (Debian's velocity package, 1.7), for tests.
 * Usage: java -cp velocity.jar:commons-collections3.jar:commons-lang.jar EvaluateMappingTemplate.java TEMPLATE_FILE [Header=value ...]
 * The request's headers are what $input.params().header holds; the template's $context.responseOverride.header.NAME
 * assignments are printed as "header<TAB>NAME<TAB>value" lines, then the rendered body as "body<TAB>..." (newlines as \n).
 * Only what the stage's templates use is modelled: $input.params() and $context.responseOverride.
 */
public class EvaluateMappingTemplate {
    /** $input: the method request. */
    public static class Input {
        private final Map<String, Object> params = new LinkedHashMap<>();
        Input(Map<String, String> headers) {
            params.put("path", new LinkedHashMap<String, String>());
            params.put("querystring", new LinkedHashMap<String, String>());
            params.put("header", headers);
        }
        public Map<String, Object> params() { return params; }
    }

    public static void main(String[] args) throws Exception {
        String template = Files.readString(Path.of(args[0]));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            headers.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Map<String, Object> overrideHeaders = new LinkedHashMap<>();
        Map<String, Object> responseOverride = new LinkedHashMap<>();
        responseOverride.put("header", overrideHeaders);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("responseOverride", responseOverride);

        VelocityEngine engine = new VelocityEngine();
        engine.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
        engine.init();
        VelocityContext velocity = new VelocityContext();
        velocity.put("input", new Input(headers));
        velocity.put("context", context);
        StringWriter body = new StringWriter();
        if (!engine.evaluate(velocity, body, "template", template)) throw new IllegalStateException("template failed");
        for (Map.Entry<String, Object> header : overrideHeaders.entrySet())
            System.out.println("header\t" + header.getKey() + "\t" + header.getValue());
        System.out.println("body\t" + body.toString().replace("\n", "\\n"));
    }
}
