// In-JVM query timing for the EXOP benchmarks (compiled at run time against Debian's
// libapache-jena-java jars). Loads one RDF file into an in-memory dataset once, then reads
// query file paths from stdin, one a line, and for each runs the query once and answers
//   ok <rows or triples> <wall ns> <thread CPU ns>
// or "error <message>". Timing inside the JVM leaves out the pipe to the driver, so the
// figure is Jena's own; the driver interleaves these calls with the other engines' rounds.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.DatasetFactory;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.riot.RDFDataMgr;

public final class JenaQuery {
    private JenaQuery() {}

    private static long run(Dataset dataset, String text) {
        Query query = QueryFactory.create(text);
        try (QueryExecution execution = QueryExecutionFactory.create(query, dataset)) {
            if (query.isSelectType()) {
                return ResultSetFormatter.consume(execution.execSelect());
            }
            if (query.isAskType()) {
                return execution.execAsk() ? 1 : 0;
            }
            if (query.isConstructType()) {
                return execution.execConstruct().size();
            }
            return execution.execDescribe().size();
        }
    }

    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long started = System.nanoTime();
        Dataset dataset = DatasetFactory.create();
        RDFDataMgr.read(dataset, args[0]);
        long loaded = System.nanoTime() - started;
        System.out.println("ready " + dataset.getDefaultModel().size() + " " + loaded);
        System.out.flush();
        BufferedReader in = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            try {
                String text = new String(Files.readAllBytes(Paths.get(line)), StandardCharsets.UTF_8);
                long cpu0 = threads.getCurrentThreadCpuTime();
                long wall0 = System.nanoTime();
                long size = run(dataset, text);
                long wall = System.nanoTime() - wall0;
                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                System.out.println("ok " + size + " " + wall + " " + cpu);
            } catch (Exception error) {
                System.out.println("error " + String.valueOf(error).replace('\n', ' '));
            }
            System.out.flush();
        }
    }
}
