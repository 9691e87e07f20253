package io.contactmirror.contact;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

/**
 * The contacts benchmark of issue #12: builds the data set through the public API (a sandbox account scanned and
 * synced, then replicated in SQL with new numbers up to the target sizes), then runs every scenario against the API
 * with wrk (8 connections, a Lua script per scenario), the same statements with pgbench against the same PostgreSQL,
 * and the peer query shape, and prints one table. Used by {@code ContactsBenchmark} (full size) and
 * {@code ContactsBenchmarkSmokeTest} (tiny, in the normal build).
 */
final class BenchmarkRun implements AutoCloseable {

    /** What to build and how long to measure; every random choice derives from {@code seed}. */
    record Settings(long seed, int synced, int large, int small, int others, int seconds, int connections) {

        static Settings fromSystemProperties() {
            return new Settings(
                    Long.getLong("benchmark.seed", 42),
                    Integer.getInteger("benchmark.synced", 100_000),
                    Integer.getInteger("benchmark.large", 1_000_000),
                    Integer.getInteger("benchmark.small", 100_000),
                    Integer.getInteger("benchmark.others", 9),
                    Integer.getInteger("benchmark.seconds", 10),
                    8);
        }

        String command() {
            return "./mvnw -Pbenchmark test -Dtest=ContactsBenchmark -Dbenchmark.seed=%d -Dbenchmark.synced=%d -Dbenchmark.large=%d -Dbenchmark.small=%d -Dbenchmark.others=%d -Dbenchmark.seconds=%d"
                    .formatted(seed, synced, large, small, others, seconds);
        }
    }

    /**
     * One measured run: p50/p99 in ms, throughput per second, non-2xx answers or failed transactions, and for the API
     * the CPU time this JVM (the server) spent per request in ms (NaN for pgbench).
     */
    record Result(double p50, double p99, double throughput, long requests, long errors, double jvmCpuPerRequest) {}

    /** One row of the table. */
    record Row(String scenario, Result api, Result sql, Result peer) {}

    /** At most this many warm-up rounds of {@code seconds} each. */
    private static final int WARMUP_ROUNDS = 8;

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: ([0-9]+)");

    private final Settings settings;
    private final String baseUrl;
    private final String bearer;
    private final JdbcClient jdbc;
    private final String pgHost;
    private final int pgPort;
    private final String pgUser;
    private final String pgDatabase;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Path work;

    BenchmarkRun(Settings settings, int port, String bearer, JdbcClient jdbc, String jdbcUrl, String pgUser)
            throws IOException {
        this.settings = settings;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.bearer = bearer;
        this.jdbc = jdbc;
        Matcher url =
                Pattern.compile("jdbc:postgresql://([^:/]+):([0-9]+)/([^?]+)").matcher(jdbcUrl);
        if (!url.find()) {
            throw new IllegalStateException("not a PostgreSQL URL: " + jdbcUrl);
        }
        this.pgHost = url.group(1);
        this.pgPort = Integer.parseInt(url.group(2));
        this.pgDatabase = url.group(3);
        this.pgUser = pgUser;
        this.work = Files.createTempDirectory("contacts-benchmark");
    }

    /** wrk on PATH, installed with apt-get when missing; fails loudly when neither works. */
    static String requireWrk() throws Exception {
        if (onPath("wrk")) {
            return "wrk";
        }
        Process install = new ProcessBuilder(
                        "sh", "-c", "(apt-get install -y wrk || (apt-get update && apt-get install -y wrk)) 2>&1")
                .redirectErrorStream(true)
                .start();
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        install.waitFor(10, TimeUnit.MINUTES);
        if (!onPath("wrk")) {
            throw new IllegalStateException(
                    "The benchmark needs wrk (HTTP load generator): install it with `apt-get install -y wrk`. "
                            + "Installing it here failed:\n" + output);
        }
        return "wrk";
    }

    static String requirePgbench() {
        for (String candidate : new String[] {"pgbench", "/usr/bin/pgbench"}) {
            if (candidate.startsWith("/") ? Files.isExecutable(Path.of(candidate)) : onPath(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "The benchmark needs pgbench (Debian: apt-get install -y postgresql-contrib or postgresql-client)");
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (IOException | InterruptedException ex) {
            return false;
        }
    }

    // ---------------------------------------------------------------- data set

    /** The instance names and ids the scenarios use. */
    record DataSet(String largeName, long largeId, double syncSeconds, List<String> rareNames) {}

    DataSet build() throws Exception {
        Random random = new Random(settings.seed());
        String large = "bench_large";
        api("POST", "/api/v1/instances", """
                {"instanceName":"%s","engine":"sandbox","sandbox":{"seed":%d,"contacts":%d,"groups":50}}""".formatted(large, settings.seed(), settings.synced()));
        // People with names nobody else has, so a "rare" search has few matches even after replication.
        List<String> rare = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String name = "Zq" + letters(random, 2) + " "
                    + Character.toUpperCase(letters(random, 1).charAt(0)) + letters(random, 5);
            rare.add(name);
            api("POST", "/api/v1/instances/" + large + "/sandbox/events", """
                    {"type":"contact","jid":"%d@s.whatsapp.net","fullName":"%s","pushName":"%s"}""".formatted(
                            4_930_000_000_000L + i, name, name.split(" ")[0]));
        }
        api("POST", "/api/v1/instances/" + large + "/sandbox/scan", null);
        long started = System.nanoTime();
        api("POST", "/api/v1/instances/" + large + "/connect", null);
        while (!api("GET", "/api/v1/instances/" + large, null).contains("\"syncState\":\"SYNCED\"")) {
            Thread.sleep(50);
            if (System.nanoTime() - started > TimeUnit.MINUTES.toNanos(60)) {
                throw new IllegalStateException("the sandbox account did not sync within an hour");
            }
        }
        double syncSeconds = (System.nanoTime() - started) / 1e9;
        long largeId = instanceId(large);
        // The rare people were injected before the first sync, so the session delivers them right after it.
        while (count(largeId) < settings.synced() + rare.size()) {
            Thread.sleep(50);
        }
        replicate(largeId, largeId, settings.large() - count(largeId));
        for (int i = 0; i < settings.others(); i++) {
            String name = "bench_small_" + i;
            api("POST", "/api/v1/instances", """
                    {"instanceName":"%s","engine":"sandbox","sandbox":{"seed":%d,"contacts":0,"groups":0}}""".formatted(name, settings.seed() + i + 1));
            replicate(largeId, instanceId(name), settings.small());
        }
        jdbc.sql("""
                        INSERT INTO contact_counts (instance_id, contacts_count, groups_count)
                        SELECT i.id, (SELECT count(*) FROM contacts c WHERE c.instance_id = i.id AND NOT c.is_group),
                                     (SELECT count(*) FROM contacts c WHERE c.instance_id = i.id AND c.is_group)
                        FROM instances i
                        ON CONFLICT (instance_id) DO UPDATE SET contacts_count = EXCLUDED.contacts_count,
                                                                groups_count = EXCLUDED.groups_count""").update();
        jdbc.sql("VACUUM ANALYZE contacts").update();
        jdbc.sql("VACUUM ANALYZE chats").update();
        return new DataSet(large, largeId, syncSeconds, rare);
    }

    /**
     * Copies {@code wanted} people of the synced account into {@code target} with new numbers (a two-digit suffix per
     * copy) and their chats, the names, chats and LIDs as they are; the search text follows the new number.
     */
    private void replicate(long source, long target, long wanted) {
        long maxSourceId = jdbc.sql("SELECT max(id) FROM contacts WHERE instance_id = ? AND NOT is_group")
                .param(source)
                .query(Long.class)
                .single();
        long people = jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND NOT is_group AND id <= ?")
                .param(source)
                .param(maxSourceId)
                .query(Long.class)
                .single();
        for (int copy = 1; wanted > 0; copy++) {
            long n = Math.min(wanted, people);
            long upTo = jdbc.sql("""
                            SELECT max(id) FROM (SELECT id FROM contacts WHERE instance_id = ? AND NOT is_group AND id <= ?
                                                 ORDER BY id LIMIT ?) x""")
                    .param(source)
                    .param(maxSourceId)
                    .param(n)
                    .query(Long.class)
                    .single();
            String suffix = String.format(Locale.ROOT, "%02d", copy);
            String number = "split_part(c.jid, '@', 1)";
            String newJid = number + " || :suffix || '@' || split_part(c.jid, '@', 2)";
            jdbc.sql("""
                            INSERT INTO contacts (instance_id, jid, lid, phone, phone_key, push_name, full_name, first_name,
                                                  business_name, chat_name, is_group, in_address_book, display_name, sort_name,
                                                  search_text)
                            SELECT :target, %s, CASE WHEN c.lid IS NOT NULL THEN split_part(c.lid, '@', 1) || :suffix || '@lid' END,
                                   c.phone || :suffix, c.phone_key || :suffix, c.push_name, c.full_name, c.first_name,
                                   c.business_name, c.chat_name, false, c.in_address_book, c.display_name,
                                   replace(c.sort_name, %s, %s || :suffix), replace(c.search_text, %s, %s || :suffix)
                            FROM contacts c WHERE c.instance_id = :source AND NOT c.is_group AND c.id <= :upTo""".formatted(newJid, number, number, number, number))
                    .param("target", target)
                    .param("source", source)
                    .param("suffix", suffix)
                    .param("upTo", upTo)
                    .update();
            jdbc.sql("""
                            INSERT INTO chats (instance_id, jid, name, last_message_text, last_message_at, unread_count)
                            SELECT :target, %s, ch.name, ch.last_message_text, ch.last_message_at, ch.unread_count
                            FROM chats ch JOIN contacts c ON c.instance_id = ch.instance_id AND c.jid = ch.jid
                            WHERE ch.instance_id = :source AND NOT c.is_group AND c.id <= :upTo""".formatted(newJid))
                    .param("target", target)
                    .param("source", source)
                    .param("suffix", suffix)
                    .param("upTo", upTo)
                    .update();
            wanted -= n;
        }
    }

    // ---------------------------------------------------------------- scenarios

    List<Row> measure(DataSet data) throws Exception {
        Random random = new Random(settings.seed() + 1);
        long instance = data.largeId();
        String list = "/api/v1/contacts?instanceName=" + data.largeName() + "&limit=50";
        List<String> broad = broadQueries(instance);
        List<String> rare = data.rareNames().stream()
                .map(name -> name.substring(0, 4).toLowerCase(Locale.ROOT) + " "
                        + name.substring(5, 6).toLowerCase(Locale.ROOT))
                .toList();
        List<String> shortQueries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            shortQueries.add(letters(random, 1 + random.nextInt(2)));
        }
        List<String> phones = jdbc.sql(
                        "SELECT phone FROM contacts WHERE instance_id = ? AND phone IS NOT NULL ORDER BY id LIMIT 5000")
                .param(instance)
                .query(String.class)
                .list();
        List<String> phoneQueries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String phone = phones.get(random.nextInt(phones.size()));
            int at = random.nextInt(phone.length() - 5);
            phoneQueries.add(phone.substring(at, at + 6));
        }
        long rows = count(instance);
        int deepPage = (int) Math.max(1, Math.min(10_000, (rows - 50) / 50));

        // Rounds of every scenario first, until the rate stops rising: the figures are of a warm server (JIT-compiled,
        // list anchors built), not of its first seconds. On 2 cores the JIT needs 30-60 s of this load to settle.
        List<String> warmup = new ArrayList<>(List.of("", "&page=" + deepPage));
        for (List<String> queries : List.of(broad, rare, shortQueries, phoneQueries)) {
            queries.stream().limit(20).forEach(q -> warmup.add("&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
        }
        settled("warm-up", 3, () -> wrk(list, warmup));
        List<Row> table = new ArrayList<>();
        table.add(new Row(
                "first page, limit 50",
                settled("first page", 2, () -> wrk(list, List.of(""))),
                pgbench(firstPage(instance), Map.of()),
                null));
        table.add(new Row(
                "page " + deepPage + ", limit 50",
                settled("page " + deepPage, 2, () -> wrk(list + "&page=" + deepPage, List.of(""))),
                pgbench(deepPage(instance, (deepPage - 1) * 50L), Map.of()),
                null));
        table.add(new Row(
                "cursor pages (nextCursor)",
                settled("cursor pages", 2, () -> cursorWrk(list)),
                pgbench(cursorPage(instance), Map.of("rid", minMaxIds(instance))),
                null));
        table.add(searchRow(
                "name search, 4 letters (" + share(instance, broad) + " match)", list, instance, broad, true));
        table.add(searchRow(
                "rare name (" + maxMatches(instance, rare) + " matches at most)", list, instance, rare, false));
        table.add(searchRow("1-2 character q", list, instance, shortQueries, false));
        table.add(searchRow("phone search, 6 digits", list, instance, phoneQueries, true));
        return table;
    }

    /**
     * A search scenario. pgbench runs, for each query, the statements the API runs for it: the queries are grouped by
     * the path ContactSearch takes for them (decided here against the same data), one script per path, each weighted
     * by its number of queries.
     */
    private Row searchRow(String name, String list, long instance, List<String> queries, boolean peer)
            throws Exception {
        List<String> suffixes = queries.stream()
                .map(q -> "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))
                .toList();
        Map<Search, List<String>> byPath = new java.util.TreeMap<>();
        queries.forEach(q -> byPath.computeIfAbsent(pathOf(instance, q), path -> new ArrayList<>())
                .add(q));
        Map<String, Integer> scripts = new java.util.LinkedHashMap<>();
        byPath.forEach((path, matching) -> scripts.put(search(instance, matching, path), matching.size()));
        System.out.printf(
                Locale.ROOT,
                "%s: queries by path %s%n",
                name,
                byPath.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().size())
                        .collect(Collectors.joining(", ")));
        return new Row(
                name,
                wrk(list, suffixes),
                pgbench(scripts, Map.of()),
                peer ? pgbench(peerShape(instance, queries), Map.of()) : null);
    }

    /**
     * The last of rounds of {@code run} (at least {@code minRounds}, at most {@link #WARMUP_ROUNDS}, each printed),
     * stopping once two rounds in a row have not beaten the best so far by 5 %: the figures are of a warm server, and a
     * single dip while the JIT still compiles does not end the rounds. The list scenarios get rounds of their own
     * because the mixed warm-up spends most of its requests on searches, and the list paths, bound by the server's CPU
     * rather than the database, keep speeding up under their own load for longer.
     */
    private Result settled(String scenario, int minRounds, Callable<Result> run) throws Exception {
        Result result = null;
        double best = 0;
        int flat = 0;
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            result = run.call();
            System.out.printf(Locale.ROOT, "%s, round %d: %,.0f req/s%n", scenario, round, result.throughput());
            flat = result.throughput() > best * 1.05 ? 0 : flat + 1;
            best = Math.max(best, result.throughput());
            if (round >= minRounds && flat >= 2) {
                break;
            }
        }
        return result;
    }

    /** The path ContactSearch.list takes for a first page of this query. */
    private Search pathOf(long instance, String q) {
        String pattern = ContactSearch.likePattern(q);
        var query = new ContactRepository.ListQuery(instance, pattern, false, null, null, 0, 51);
        List<Long> read = jdbc.sql(ContactRepository.walkedSql(query))
                .param("instance", instance)
                .param("pattern", pattern)
                .param("budget", ContactSearch.WALK_BUDGET)
                .param("rows", 51)
                .param("offset", 0)
                .query((rs, row) -> rs.getLong("n"))
                .list();
        boolean trigramless = pattern.length() - 2 < 3;
        if (read.size() > 50) {
            long countWalkCost = (ContactSearch.COUNT_CAP + 1) * read.getLast() / read.size();
            return trigramless
                    ? Search.WITHOUT_TRIGRAMS
                    : countWalkCost <= ContactSearch.COUNT_WALK_BUDGET ? Search.DENSE : Search.DENSE_INDEX_COUNT;
        }
        if (trigramless) {
            return Search.WITHOUT_TRIGRAMS;
        }
        long expected = ContactRepository.planRows(jdbc.sql(ContactRepository.expectedMatchesSql(query))
                .param("instance", instance)
                .param("pattern", pattern)
                .query(String.class)
                .single());
        boolean walkedOn = ContactSearch.countsAlongTheList(expected, () -> count(instance));
        if (walkedOn) {
            long alongTheList = jdbc.sql(ContactRepository.walkCountedSql(query))
                    .param("instance", instance)
                    .param("pattern", pattern)
                    .param("budget", ContactSearch.CLUSTERED_WALK_BUDGET)
                    .param("cap", ContactSearch.COUNT_CAP + 1)
                    .param("rows", 51)
                    .param("offset", 0)
                    .query((rs, row) -> rs.getLong("matches"))
                    .list()
                    .getFirst();
            if (alongTheList > ContactSearch.COUNT_CAP) {
                return Search.ALONG_THE_LIST;
            }
        }
        long matches = jdbc.sql(ContactRepository.countSparseSql(query))
                .param("instance", instance)
                .param("pattern", pattern)
                .param("cap", ContactSearch.COUNT_CAP + 1)
                .query(Long.class)
                .single();
        if (matches > ContactSearch.COUNT_CAP) {
            return walkedOn ? Search.CLUSTERED_AFTER_A_VAIN_WALK : Search.CLUSTERED;
        }
        return walkedOn ? Search.SPARSE_AFTER_A_VAIN_WALK : Search.SPARSE;
    }

    /** Four-letter name fragments of the data set that match 2–10 % of the instance (≈ 5 % on the sandbox data). */
    private List<String> broadQueries(long instance) {
        List<String> found = new ArrayList<>();
        long rows = count(instance);
        for (String candidate : new String[] {
            "silv", "sant", "wija", "shar", "garc", "mull", "smit", "pere", "kusu", "hern", "muno", "prat", "sari",
            "hida", "nguy", "john", "patel", "araj", "gonc", "simo", "cath"
        }) {
            String q = candidate.substring(0, 4);
            long matches = jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND search_text LIKE ?")
                    .param(instance)
                    .param("%" + q + "%")
                    .query(Long.class)
                    .single();
            if (matches >= rows * 0.02 && matches <= rows * 0.10) {
                found.add(q);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no four-letter name matches 2-10 % of the data set");
        }
        return found;
    }

    private String share(long instance, List<String> queries) {
        double rows = count(instance);
        double mean = queries.stream()
                .mapToLong(q -> jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND search_text LIKE ?")
                        .param(instance)
                        .param("%" + q + "%")
                        .query(Long.class)
                        .single())
                .average()
                .orElse(0);
        return String.format(Locale.ROOT, "%.1f %%", 100 * mean / rows);
    }

    private long maxMatches(long instance, List<String> queries) {
        return queries.stream()
                .mapToLong(q -> jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND search_text LIKE ?")
                        .param(instance)
                        .param("%" + q + "%")
                        .query(Long.class)
                        .single())
                .max()
                .orElse(0);
    }

    private long count(long instance) {
        return jdbc.sql("SELECT count(*) FROM contacts WHERE instance_id = ? AND NOT is_group")
                .param(instance)
                .query(Long.class)
                .single();
    }

    private String minMaxIds(long instance) {
        return jdbc.sql("SELECT min(id) || ' ' || max(id) FROM contacts WHERE instance_id = ?")
                .param(instance)
                .query(String.class)
                .single();
    }

    // ---------------------------------------------------------------- the statements pgbench runs

    // The API's own statements (ContactRepository's SQL, parameters written in), in the order ContactSearch runs them
    // for each scenario. The page load (contacts by id with their chats joined, as the API's one load query) takes the
    // walk as a subquery: the same index probes, one round trip less than the API makes.

    private static final ContactCursor.Position START = new ContactCursor.Position("", 0);

    /** What a search does after its first walk, by how its query matches (ContactSearch.list). */
    enum Search {
        /** The walk fills the page; the matches are counted along the list up to the cap. */
        DENSE,
        /** The walk fills the page, but counting along the list would read too far: counted through the index. */
        DENSE_INDEX_COUNT,
        /**
         * The walk finds less than a page, the index counts at most the cap: the matches are counted and sorted from
         * the index in one statement.
         */
        SPARSE,
        /** The walk finds less than a page, the index counts more than the cap: the walk goes on further. */
        CLUSTERED,
        /**
         * The walk finds less than a page, the planner expects many matches: the walk goes on further, counting, and
         * finds more than the cap.
         */
        ALONG_THE_LIST,
        /** As SPARSE, after walking on in vain because the planner expected many matches. */
        SPARSE_AFTER_A_VAIN_WALK,
        /** As CLUSTERED, after walking on in vain because the planner expected many matches. */
        CLUSTERED_AFTER_A_VAIN_WALK,
        /** One or two characters: walks only, counted along the walk's budget. */
        WITHOUT_TRIGRAMS
    }

    private static String firstPage(long instance) {
        var query = new ContactRepository.ListQuery(instance, null, false, null, null, 0, 51);
        return counters(instance)
                + load(statement(ContactRepository.walkSql(query), Map.of("instance", instance, "budget", 51)));
    }

    /**
     * An offset page: skipped index entries up to the direct offsets, beyond them the anchor check and a walk from the
     * anchor before the page.
     */
    private String deepPage(long instance, long offset) {
        if (offset <= ContactSearch.DIRECT_OFFSET) {
            var query = new ContactRepository.ListQuery(instance, null, false, null, null, offset, 51);
            return counters(instance)
                    + load(statement(
                            ContactRepository.walkSql(query),
                            Map.of("instance", instance, "budget", offset + 51, "offset", offset)));
        }
        long anchor = offset / ListAnchors.SPACING * ListAnchors.SPACING;
        long anchorId = jdbc.sql("""
                        SELECT id FROM contacts WHERE instance_id = ? AND NOT is_group
                        ORDER BY sort_name, id OFFSET ? LIMIT 1""")
                .param(instance)
                .param(anchor - 1)
                .query(Long.class)
                .single();
        long skip = offset - anchor;
        var query = new ContactRepository.ListQuery(instance, null, false, null, START, skip, 51);
        return counters(instance)
                + "SELECT max(updated_at) FROM contacts WHERE instance_id = " + instance + ";\n"
                + load(statement(
                        ContactRepository.walkSql(query),
                        Map.of("instance", instance, "budget", skip + 51, "offset", skip, "id", anchorId)));
    }

    /** The continuation of a cursor from a random row. */
    private static String cursorPage(long instance) {
        var query = new ContactRepository.ListQuery(instance, null, false, null, START, 0, 51);
        return "\\set id random(:rid_min, :rid_max)\n"
                + load(statement(
                        ContactRepository.walkSql(query), Map.of("instance", instance, "budget", 51, "id", ":id")));
    }

    private static String search(long instance, List<String> queries, Search path) {
        String pattern = "(ARRAY["
                + queries.stream()
                        .map(q -> "'" + ContactSearch.likePattern(q).replace("'", "''") + "'")
                        .collect(Collectors.joining(","))
                + "])[:i]";
        var query = new ContactRepository.ListQuery(instance, "%", false, null, null, 0, 51);
        // The statements differ only in how many list entries they may read.
        IntFunction<Map<String, Object>> reading = budget ->
                Map.of("instance", instance, "pattern", pattern, "budget", budget, "cap", ContactSearch.COUNT_CAP + 1);
        Map<String, Object> values = reading.apply(ContactSearch.WALK_BUDGET);
        String walk = statement(ContactRepository.walkedSql(query), values);
        String script = "\\set i random(1, " + queries.size() + ")\n" + counters(instance);
        String countWalking = statement(
                ContactRepository.countWalkingSql(query),
                reading.apply(
                        path == Search.WITHOUT_TRIGRAMS ? ContactSearch.WALK_BUDGET : ContactSearch.COUNT_WALK_BUDGET));
        String countSparse = statement(ContactRepository.countSparseSql(query), values);
        String sparseCounted = statement(ContactRepository.sparseCountedSql(query), values);
        String beyond = walk + ";\n" + statement(ContactRepository.expectedMatchesSql(query), values) + ";\n";
        String walkCounted =
                statement(ContactRepository.walkCountedSql(query), reading.apply(ContactSearch.CLUSTERED_WALK_BUDGET));
        String clustered =
                load(statement(ContactRepository.walkSql(query), reading.apply(ContactSearch.CLUSTERED_WALK_BUDGET)));
        return switch (path) {
            case DENSE, WITHOUT_TRIGRAMS -> script + load(walk) + countWalking + ";\n";
            case DENSE_INDEX_COUNT -> script + load(walk) + countSparse + ";\n";
            case SPARSE -> script + beyond + load(sparseCounted);
            case CLUSTERED -> script + beyond + sparseCounted + ";\n" + clustered;
            case ALONG_THE_LIST -> script + beyond + load(walkCounted);
            case SPARSE_AFTER_A_VAIN_WALK -> script + beyond + walkCounted + ";\n" + load(sparseCounted);
            case CLUSTERED_AFTER_A_VAIN_WALK ->
                script + beyond + walkCounted + ";\n" + sparseCounted + ";\n" + clustered;
        };
    }

    /** The instance row, which the API reads to resolve the name, and the counters a list's total comes from. */
    private static String counters(long instance) {
        return "SELECT * FROM instances WHERE id = " + instance + ";\n"
                + "SELECT contacts_count, groups_count FROM contact_counts WHERE instance_id = " + instance + ";\n";
    }

    /** A page's contacts with their chats, for the positions the given statement finds. */
    private static String load(String positions) {
        return "SELECT c.*, ch.id AS chat_id, ch.name AS chat_name_value, ch.last_message_text, ch.last_message_at,"
                + " ch.unread_count FROM contacts c LEFT JOIN chats ch ON ch.instance_id = c.instance_id"
                + " AND ch.jid = c.jid WHERE c.id = ANY(ARRAY(SELECT p.id FROM (" + positions + ") p));\n";
    }

    private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<!:):([A-Za-z]+)");

    /**
     * A repository statement on one line with its named parameters written in; {@code rows} and {@code offset} default
     * to one page from the start, a cursor's sort name is read from its row id.
     */
    private static String statement(String sql, Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("rows", 51, "offset", 0));
        all.putAll(values);
        if (all.containsKey("id")) {
            all.put("sortName", "(SELECT sort_name FROM contacts WHERE id = " + all.get("id") + ")");
        }
        Matcher parameter = NAMED_PARAMETER.matcher(sql.replace('\n', ' '));
        StringBuilder out = new StringBuilder();
        while (parameter.find()) {
            Object value = all.get(parameter.group(1));
            if (value == null) {
                throw new IllegalStateException("no value for :" + parameter.group(1) + " in " + sql);
            }
            parameter.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
        }
        return parameter.appendTail(out).toString();
    }

    /** What Evolution API's Prisma {@code contains}/{@code insensitive} produces: ILIKE on every column, OFFSET, count. */
    private static String peerShape(long instance, List<String> queries) {
        String pattern = "(ARRAY["
                + queries.stream().map(q -> "'%" + q.replace("'", "''") + "%'").collect(Collectors.joining(","))
                + "])[:i]";
        String where = " WHERE instance_id = " + instance + " AND (push_name ILIKE " + pattern + " OR full_name ILIKE "
                + pattern + " OR business_name ILIKE " + pattern + " OR jid ILIKE " + pattern + ")";
        return "\\set i random(1, " + queries.size() + ")\n\\set page random(0, 9)\n"
                + "SELECT * FROM contacts" + where + " ORDER BY id OFFSET :page * 50 LIMIT 50;\n"
                + "SELECT count(*) FROM contacts" + where + ";\n";
    }

    // ---------------------------------------------------------------- load generators

    private Result wrk(String path, List<String> suffixes) throws Exception {
        String paths = suffixes.stream()
                .map(suffix -> "\"" + (path + suffix).replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",\n"));
        String script = """
                local paths = {%s}
                local counter = 0
                wrk.headers["Authorization"] = "%s"
                local threads = 0
                function setup(thread) threads = threads + 1; thread:set("id", threads) end
                function init(args) math.randomseed(%d + id) end
                function request() return wrk.format("GET", paths[math.random(#paths)]) end
                %s
                """.formatted(paths, bearer, settings.seed(), DONE);
        return runWrk(script);
    }

    /** Follows each answer's {@code nextCursor} (from the first page again when a walk ends). */
    private Result cursorWrk(String path) throws Exception {
        String first = api("GET", path, null);
        if (!first.contains("\"nextCursor\"")) {
            return null;
        }
        String script = """
                local cursor = nil
                wrk.headers["Authorization"] = "%s"
                local function encode(s) return (s:gsub("[^%%w%%-%%._~]", function(c) return string.format("%%%%%%02X", string.byte(c)) end)) end
                function request()
                  if cursor then return wrk.format("GET", "%s&cursor=" .. encode(cursor)) end
                  return wrk.format("GET", "%s")
                end
                function response(status, headers, body) cursor = body:match('"nextCursor"%%s*:%%s*"([^"]+)"') end
                %s
                """.formatted(bearer, path, path, DONE);
        return runWrk(script);
    }

    private static final String DONE = """
            function done(summary, latency, requests)
              io.write(string.format("WRK %d %d %d %d %.3f %.3f\\n", summary.requests, summary.duration,
                summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
                0, latency:percentile(50), latency:percentile(99)))
            end""";

    /** wrk on one path for {@code seconds}: the idle-versus-loaded comparison of the ingest benchmark. */
    static Result wrkOnce(int port, String path, String bearer, int seconds) throws Exception {
        var settings = new Settings(42, 0, 0, 0, 0, seconds, 8);
        try (var run = new BenchmarkRun(settings, port, bearer, null, "jdbc:postgresql://localhost:0/none", "none")) {
            return run.wrk(path, List.of(""));
        }
    }

    /** Removes the scripts and pgbench files of this run. */
    @Override
    public void close() throws IOException {
        FileSystemUtils.deleteRecursively(work);
    }

    private Result runWrk(String script) throws Exception {
        Path file = Files.createTempFile(work, "scenario", ".lua");
        Files.writeString(file, script);
        long cpuBefore = processCpuNanos();
        String output = run(List.of(
                requireWrk(),
                "-t2",
                "-c" + settings.connections(),
                "-d" + settings.seconds() + "s",
                "--timeout",
                "10s",
                "-s",
                file.toString(),
                baseUrl + "/"));
        long cpu = processCpuNanos() - cpuBefore;
        Matcher result = Pattern.compile("WRK ([0-9]+) ([0-9]+) ([0-9]+) ([0-9]+) ([0-9.]+) ([0-9.]+)")
                .matcher(output);
        if (!result.find()) {
            throw new IllegalStateException("wrk printed no result:\n" + output);
        }
        long requests = Long.parseLong(result.group(1));
        double seconds = Long.parseLong(result.group(2)) / 1e6;
        return new Result(
                Double.parseDouble(result.group(5)) / 1000,
                Double.parseDouble(result.group(6)) / 1000,
                requests / seconds,
                requests,
                Long.parseLong(result.group(3)),
                requests == 0 ? Double.NaN : cpu / 1e6 / requests);
    }

    /** CPU time of this JVM, which serves the API (wrk and PostgreSQL are processes of their own). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private Result pgbench(String script, Map<String, String> ranges) throws Exception {
        return pgbench(Map.of(script, 1), ranges);
    }

    /** pgbench with one or more scripts, each chosen for a transaction in proportion to its weight. */
    private Result pgbench(Map<String, Integer> scripts, Map<String, String> ranges) throws Exception {
        Path dir = Files.createTempDirectory(work, "pgbench");
        StringBuilder text = new StringBuilder();
        ranges.forEach((name, range) -> {
            String[] bounds = range.split(" ");
            text.append("\\set ").append(name).append("_min ").append(bounds[0]).append('\n');
            text.append("\\set ").append(name).append("_max ").append(bounds[1]).append('\n');
        });
        List<String> files = new ArrayList<>();
        for (var script : scripts.entrySet()) {
            Path file = dir.resolve("script" + files.size() + ".sql");
            Files.writeString(file, text + script.getKey());
            files.add("-f");
            files.add(file + "@" + script.getValue());
        }
        List<String> command = new ArrayList<>(List.of(
                requirePgbench(),
                "-n",
                "-h",
                pgHost,
                "-p",
                Integer.toString(pgPort),
                "-U",
                pgUser,
                "-c",
                Integer.toString(settings.connections()),
                "-j",
                "2",
                "-T",
                Integer.toString(settings.seconds()),
                "--random-seed=" + settings.seed(),
                "-l",
                "--log-prefix=" + dir.resolve("tx")));
        command.addAll(files);
        command.add(pgDatabase);
        String output = run(command, dir);
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no result:\n" + output);
        }
        List<Double> latencies = new ArrayList<>();
        try (var logs = Files.list(dir)) {
            for (Path log : logs.filter(path -> path.getFileName().toString().startsWith("tx"))
                    .toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] fields = line.split(" ");
                    if (fields.length > 2) {
                        latencies.add(Long.parseLong(fields[2]) / 1000.0);
                    }
                }
            }
        }
        double[] sorted =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Matcher failed = FAILED.matcher(output);
        return new Result(
                percentile(sorted, 50),
                percentile(sorted, 99),
                Double.parseDouble(tps.group(1)),
                sorted.length,
                failed.find() ? Long.parseLong(failed.group(1)) : 0,
                Double.NaN);
    }

    private static double percentile(double[] sorted, int percent) {
        return sorted.length == 0
                ? Double.NaN
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
    }

    private String run(List<String> command) throws Exception {
        return run(command, work);
    }

    private String run(List<String> command, Path dir) throws Exception {
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(settings.seconds() + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    // ---------------------------------------------------------------- output

    static String table(Settings settings, DataSet data, List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%n## Contacts benchmark: %,d contacts in one instance + %d x %,d, %d connections, %d s per scenario%n",
                settings.large(),
                settings.others(),
                settings.small(),
                settings.connections(),
                settings.seconds()));
        out.append(String.format(
                Locale.ROOT,
                "Data set: a %,d-contact sandbox account synced through the API in %.1f s (%,.0f contacts/s), replicated in SQL with new numbers.%n",
                settings.synced(),
                data.syncSeconds(),
                settings.synced() / data.syncSeconds()));
        out.append("Rerun: `").append(settings.command()).append("`\n\n");
        out.append(
                "| scenario | API p50 / p99 | API req/s | errors | SQL (pgbench) p50 / p99 | SQL tx/s | API / SQL throughput | peer shape p50 / p99 | peer tx/s | API / peer | server JVM CPU / request |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.scenario()).append(" | ");
            if (row.api() == null) {
                out.append("no `nextCursor` in the list answer | | | ");
            } else {
                out.append(ms(row.api()))
                        .append(" | ")
                        .append(rate(row.api().throughput()))
                        .append(" | ")
                        .append(row.api().errors())
                        .append(" | ");
            }
            out.append(ms(row.sql()))
                    .append(" | ")
                    .append(rate(row.sql().throughput()))
                    .append(" | ")
                    .append(
                            row.api() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT,
                                            "%.2f",
                                            row.api().throughput() / row.sql().throughput()))
                    .append(" | ");
            if (row.peer() != null) {
                out.append(ms(row.peer()))
                        .append(" | ")
                        .append(rate(row.peer().throughput()))
                        .append(" | ")
                        .append(
                                row.api() == null
                                        ? ""
                                        : String.format(
                                                Locale.ROOT,
                                                "%.0f×",
                                                row.api().throughput()
                                                        / row.peer().throughput()))
                        .append(" |");
            } else {
                out.append(" | | |");
            }
            out.append(
                            row.api() == null
                                    ? ""
                                    : String.format(
                                            Locale.ROOT, " %.2f ms", row.api().jvmCpuPerRequest()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String ms(Result result) {
        return String.format(Locale.ROOT, "%.1f / %.1f ms", result.p50(), result.p99());
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    // ---------------------------------------------------------------- helpers

    private long instanceId(String name) {
        return jdbc.sql("SELECT id FROM instances WHERE instance_name = ? ORDER BY id DESC LIMIT 1")
                .param(name)
                .query(Long.class)
                .single();
    }

    private String api(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", bearer)
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(
                    method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String letters(Random random, int count) {
        char[] chars = new char[count];
        Arrays.setAll(new int[count], i -> chars[i] = (char) ('a' + random.nextInt(26)));
        return new String(chars);
    }
}
