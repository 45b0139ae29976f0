/*
** tests/test_cli_store.c — end to end: what the programs leave in the
** database and beside it when several run at once, when one is killed, and
** when the disk is full (docs/reliability-store.md lists the promises these
** tests keep).
**
** Results are compared bit for bit: every row of every table, every column
** but wall_s and created_at, REALs by their bits. Databases written by
** interleaved processes get ids in the order their points arrived, so they
** are first merged alone into a new file (merge.c inserts in sweep order);
** a single process's database then compares row for row, ids included.
*/
#include "helpers.h"

#include "core/hash.h"
#include "plots/plot.h"
#include "store/store.h"
#include "store/store_int.h" /* adi_store_db: the rows themselves */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static int prog(const char *program, const char *args, char **out, char **err)
{
    return run_program_in(temp_dir(), NULL, program, args, out, err);
}

/* ---- processes ------------------------------------------------------------ */

/* Starts `program args...` (args NULL-terminated, no shell) in the temporary
** folder, its stdout to /dev/null and its stderr to the file "err" there;
** with fsize > 0 under RLIMIT_FSIZE = fsize bytes and SIGXFSZ ignored, so a
** write beyond it fails with EFBIG as on a full disk. */
static pid_t spawn(const char *program, const char *const *args, rlim_t fsize)
{
    char exe[1200], here[1024];
    const char *b = bin_dir();
    if (b[0] == '/')
        snprintf(exe, sizeof exe, "%s/%s", b, program);
    else
        snprintf(exe, sizeof exe, "%s/%s/%s", getcwd(here, sizeof here) ? here : ".", b, program);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY), err;
        if (null < 0 || chdir(temp_dir()) != 0 ||
            (err = open("err", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644)) < 0)
            _exit(127);
        dup2(null, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        if (fsize) {
            struct rlimit lim = {fsize, fsize};
            signal(SIGXFSZ, SIG_IGN);
            setrlimit(RLIMIT_FSIZE, &lim);
        }
        char *argv[24] = {exe};
        for (int i = 0; args[i] && i < 22; i++)
            argv[i + 1] = strdup(args[i]);
        execv(exe, argv);
        _exit(127);
    }
    return pid;
}

/* The exit status, or 128 + the signal that ended it. */
static int wait_for(pid_t pid)
{
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

/* A fixed sequence of uniform numbers in [0, 1): kill delays that are the
** same on every run of the test. */
static double uniform(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(*state >> 11) / 9007199254740992.0;
}

/* ---- comparing databases --------------------------------------------------- */

static void append(char **buf, size_t *len, size_t *cap, const char *text)
{
    size_t n = strlen(text);
    while (*len + n + 1 > *cap)
        *buf = realloc(*buf, *cap *= 2);
    memcpy(*buf + *len, text, n + 1);
    *len += n;
}

/* Every row of every table in rowid order, every column but wall_s and
** created_at, a REAL as the hex of its bits (see the top of this file). */
static char *exact_rows(const char *name)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(path_in(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *tables, *s;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                        " ORDER BY name", -1, &tables, NULL), SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap), cell[64];
    out[0] = '\0';
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[256];
        const char *table = (const char *)sqlite3_column_text(tables, 0);
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY rowid", table);
        append(&out, &len, &cap, table);
        append(&out, &len, &cap, ":\n");
        assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const char *col = sqlite3_column_name(s, c);
                if (strcmp(col, "wall_s") == 0 || strcmp(col, "created_at") == 0)
                    continue;
                if (sqlite3_column_type(s, c) == SQLITE_FLOAT) {
                    double v = sqlite3_column_double(s, c);
                    uint64_t bits;
                    memcpy(&bits, &v, sizeof bits);
                    snprintf(cell, sizeof cell, "%016llx|", (unsigned long long)bits);
                    append(&out, &len, &cap, cell);
                } else if (sqlite3_column_type(s, c) == SQLITE_BLOB) {
                    const unsigned char *b = sqlite3_column_blob(s, c);
                    for (int k = 0; k < sqlite3_column_bytes(s, c); k++) {
                        snprintf(cell, sizeof cell, "%02x", b[k]);
                        append(&out, &len, &cap, cell);
                    }
                    append(&out, &len, &cap, "|");
                } else {
                    const char *v = (const char *)sqlite3_column_text(s, c);
                    append(&out, &len, &cap, v ? v : "NULL");
                    append(&out, &len, &cap, "|");
                }
            }
            append(&out, &len, &cap, "\n");
        }
        sqlite3_finalize(s);
    }
    sqlite3_finalize(tables);
    sqlite3_close(db);
    return out;
}

/* exact_rows of the database merged alone into a new file: the same for
** every order in which concurrent writers stored the same points. */
static char *canonical_rows(const char *name)
{
    char args[256];
    unlink(path_in("canonical.db"));
    snprintf(args, sizeof args, "--merge %s --db canonical.db --quiet", name);
    assert_int_equal(prog("simulate", args, NULL, NULL), 0);
    return exact_rows("canonical.db");
}

static void remove_db(const char *name)
{
    const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < 4; i++) {
        char file[128];
        snprintf(file, sizeof file, "%s%s", name, suffix[i]);
        unlink(path_in(file));
    }
}

/* How many files of the temporary folder start with prefix (hidden ones
** included): what a failed call may have left. */
static int files_starting(const char *prefix)
{
    DIR *d = opendir(temp_dir());
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/* How many entries a folder has, besides . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* ---- scenarios ------------------------------------------------------------- */

/* A quick scenario of 6 points; k gives it a name and a seed of its own. */
static void write_small(int k)
{
    char name[32], text[512];
    snprintf(name, sizeof name, "s%d.ini", k);
    snprintf(text, sizeof text, "[scenario]\nname = s%d\nreplications = 2\nseed = %d\n"
             "[devices]\nmean_time = 50ms\ndistribution = lognormal\ncv = 0.1\n"
             "[workload]\ntasks = 200\n[sweep]\npolicy = pull, sync\ndevices = 1, 2, 4\n",
             k, k);
    write_file(path_in(name), text);
}

/* sweep.ini: 36 points of `tasks` tasks; with 40 000, about half a second
** here: long enough to be killed or read half way. */
static void write_sweep(unsigned tasks)
{
    char text[512];
    snprintf(text, sizeof text, "[scenario]\nname = sweep\nreplications = 3\nseed = 11\n"
             "[devices]\nmean_time = 20ms\ndistribution = lognormal\ncv = 0.2\n"
             "[workload]\ntasks = %u\n[sweep]\npolicy = pull, sync, serial\n"
             "devices = 2, 4, 8\nqueue_capacity = inf, 100\nheterogeneity = 0, 0.5\n", tasks);
    write_file(path_in("sweep.ini"), text);
}

/* ---- tests ----------------------------------------------------------------- */

/* Four processes with four scenarios on one new database, twenty times over:
** every exit 0, every point there, the same bits as each run alone (the
** schema race once lost 43 of 80 scenarios). */
static void four_writers_on_a_new_database_lose_nothing(void **state)
{
    (void)state;
    for (int k = 1; k <= 4; k++) {
        char args[128];
        write_small(k);
        snprintf(args, sizeof args, "s%d.ini --db ref%d.db --quiet", k, k);
        assert_int_equal(prog("simulate", args, NULL, NULL), 0);
    }
    assert_int_equal(prog("simulate", "--merge ref1.db ref2.db ref3.db ref4.db --db ref.db --quiet",
                          NULL, NULL), 0);
    char *want = exact_rows("ref.db");
    for (int round = 0; round < 20; round++) {
        remove_db("x.db");
        pid_t pid[4];
        for (int k = 0; k < 4; k++) {
            char ini[16];
            snprintf(ini, sizeof ini, "s%d.ini", k + 1);
            const char *args[] = {ini, "--db", "x.db", "--quiet", "--jobs", "1", NULL};
            pid[k] = spawn("simulate", args, 0);
        }
        for (int k = 0; k < 4; k++)
            assert_int_equal(wait_for(pid[k]), 0);
        char *got = canonical_rows("x.db");
        assert_string_equal(got, want);
        free(got);
        assert_int_equal(files_starting(".x.db.tmp"), 0); /* the losers' staged files */
    }
    free(want);
}

/* The shards of one sweep started together on a new database (README's
** batch-scheduler array; they once lost 72 of 135 points), and the same
** scenario twice at once (the loser once exited 2 on a UNIQUE constraint):
** all exit 0 and store what one process stores. */
static void shards_and_twins_at_once(void **state)
{
    (void)state;
    write_sweep(4000);
    assert_int_equal(prog("simulate", "sweep.ini --db one.db --quiet", NULL, NULL), 0);
    char *want = canonical_rows("one.db");
    for (int round = 0; round < 4; round++) {
        remove_db("x.db");
        int twins = round % 2;
        pid_t pid[3];
        for (int k = 0; k < 3; k++) {
            char shard[16];
            snprintf(shard, sizeof shard, "%d/3", k + 1);
            const char *sharded[] = {"sweep.ini", "--db", "x.db", "--quiet", "--shard", shard,
                                     NULL};
            const char *whole[] = {"sweep.ini", "--db", "x.db", "--quiet", NULL};
            pid[k] = spawn("simulate", twins ? whole : sharded, 0);
        }
        for (int k = 0; k < 3; k++)
            assert_int_equal(wait_for(pid[k]), 0);
        char *got = canonical_rows("x.db");
        assert_string_equal(got, want);
        free(got);
    }
    free(want);
}

/* kill -9 at fixed pseudo-random moments (one to three kills, each rerun
** killed again), then a rerun to the end: every row of every table has the
** bits of an uninterrupted run, ids included. */
static void killed_sweeps_resume_to_the_same_bits(void **state)
{
    (void)state;
    write_sweep(40000);
    double t0 = now_s();
    assert_int_equal(prog("simulate", "sweep.ini --db whole.db --quiet", NULL, NULL), 0);
    double took = now_s() - t0;
    char *want = exact_rows("whole.db");
    const char *args[] = {"sweep.ini", "--db", "k.db", "--quiet", NULL};
    uint64_t rng = 20240611;
    int killed = 0;
    for (int trial = 0; trial < 6; trial++) {
        remove_db("k.db");
        for (int kills = 1 + trial % 3; kills > 0; kills--) {
            pid_t pid = spawn("simulate", args, 0);
            sleep_s(uniform(&rng) * took);
            kill(pid, SIGKILL);
            killed += wait_for(pid) == 128 + SIGKILL;
        }
        pid_t pid = spawn("simulate", args, 0);
        assert_int_equal(wait_for(pid), 0);
        char *got = exact_rows("k.db");
        assert_string_equal(got, want);
        free(got);
    }
    assert_true(killed > 0); /* some kills landed before the end */
    free(want);
}

/* Points gathered into one transaction are committed once the sweep waits
** for its next point (0.1 s at most): a quick point is there for readers
** (and other writers) while a slow one is still running, in a database
** that existed (a new one publishes its first point alone anyway). */
static void a_waiting_sweep_commits_what_it_has(void **state)
{
    (void)state;
    write_small(1);
    assert_int_equal(prog("simulate", "s1.ini --db w.db --quiet", NULL, NULL), 0);
    write_file(path_in("slow.ini"), "[scenario]\nname = slow\nreplications = 1\n"
               "[devices]\ntimes = 1, 2\n"
               "[sweep]\ntasks = 10, 60000000\n");
    const char *args[] = {"slow.ini", "--db", "w.db", "--quiet", "--jobs", "1", NULL};
    double t0 = now_s(), seen = -1;
    pid_t pid = spawn("simulate", args, 0);
    int status = -1;
    for (;;) {
        int done = waitpid(pid, &status, WNOHANG) == pid;
        if (seen < 0 && db_count("w.db", "SELECT count(*) FROM point WHERE scenario_name ="
                                          " 'slow'") == 1)
            seen = now_s() - t0;
        if (done)
            break;
        sleep_s(0.005);
    }
    double took = now_s() - t0;
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(seen >= 0 && seen < took / 2); /* long before the end */
    assert_int_equal(db_count("w.db", "SELECT count(*) FROM point WHERE scenario_name = 'slow'"), 2);
}

/* A killed `calibrate --db` leaves nothing, or its rows (the file follows
** them), or both: never a profile without its rows, never a database
** without them (it once left an empty schema-only database). */
static void killed_calibrations_leave_whole_outputs(void **state)
{
    (void)state;
    const char *args[] = {"--device", "k", "--kernel", "x2", "--quick", "--out", "k.ini",
                          "--db", "k.db", "--quiet", NULL};
    double t0 = now_s();
    assert_int_equal(wait_for(spawn("calibrate", args, 0)), 0);
    double took = now_s() - t0;
    uint64_t rng = 7;
    for (int trial = 0; trial < 8; trial++) {
        remove_db("k.db");
        unlink(path_in("k.ini"));
        pid_t pid = spawn("calibrate", args, 0);
        sleep_s(uniform(&rng) * took * 1.2);
        kill(pid, SIGKILL);
        wait_for(pid);
        long long rows = exists("k.db") ? db_count("k.db", "SELECT count(*) FROM calibration") : -1;
        if (exists("k.ini")) {
            assert_true(rows == 1);
            char *text = read_file(path_in("k.ini")), sha[65], sql[160];
            adi_sha256_hex(text, strlen(text), sha);
            snprintf(sql, sizeof sql, "SELECT count(*) FROM calibration"
                     " WHERE profile_sha256 = '%s'", sha);
            assert_int_equal(db_count("k.db", sql), 1);
            free(text);
        } else {
            assert_true(rows == -1 || rows == 1);
        }
    }
}

/* Readers while a sweep writes a new database: the file is absent or opens,
** and every snapshot holds whole points (each with all its runs and
** histograms, each linked to the scenario row). plot once read a schema
** half made and said "made by an older adisim". */
static void readers_during_a_write_see_whole_points(void **state)
{
    (void)state;
    write_sweep(40000);
    const char *args[] = {"sweep.ini", "--db", "r.db", "--quiet", NULL};
    pid_t pid = spawn("simulate", args, 0);
    int reads = 0, status = -1;
    for (;;) {
        int done = waitpid(pid, &status, WNOHANG) == pid;
        if (access(path_in("r.db"), F_OK) == 0) {
            adi_store *st;
            if (adi_store_open(path_in("r.db"), 0, &st) != ADI_OK)
                fail_msg("a reader during a write: %s", adi_errmsg());
            sqlite3 *db = adi_store_db(st);
            sqlite3_stmt *s;
            assert_int_equal(sqlite3_prepare_v2(db,
                "SELECT count(*),"
                " sum((SELECT count(*) FROM run WHERE point_id = p.id) = p.replications),"
                " sum(EXISTS (SELECT 1 FROM latency_hist WHERE point_id = p.id)),"
                " sum(EXISTS (SELECT 1 FROM scenario_point WHERE point_id = p.id)),"
                " (SELECT count(*) FROM scenario) FROM point p", -1, &s, NULL), SQLITE_OK);
            assert_int_equal(sqlite3_step(s), SQLITE_ROW);
            long long points = sqlite3_column_int64(s, 0);
            assert_true(points >= 1); /* a new database appears with its first point */
            for (int c = 1; c <= 3; c++)
                assert_int_equal(sqlite3_column_int64(s, c), points);
            assert_int_equal(sqlite3_column_int64(s, 4), 1);
            sqlite3_finalize(s);
            adi_store_close(st);
            reads++;
        }
        if (done)
            break;
        sleep_s(0.002);
    }
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(reads > 0);
    assert_int_equal(db_count("r.db", "SELECT count(*) FROM point"), 36);
}

/* What the last spawned program said on stderr (malloc'ed). */
static char *said(void)
{
    char *text = read_file(path_in("err"));
    assert_non_null(text);
    return text;
}

/* Every stored point has all its runs. */
static void points_are_whole(const char *name)
{
    assert_int_equal(db_count(name, "SELECT count(*) FROM point p WHERE (SELECT count(*) FROM run"
                                    " WHERE point_id = p.id) != p.replications"), 0);
}

/* Writes that fail for want of space (RLIMIT_FSIZE: EFBIG, as ENOSPC on a
** full disk; no root needed), at limits that here cut the schema, the first
** point's commit or a later point's: exit 2 and nothing written, or (a
** sweep) whole points kept and said so; an existing database too big to
** grow stays as it was. */
static void a_full_disk_writes_nothing(void **state)
{
    (void)state;
    write_small(1);
    const char *sim[] = {"s1.ini", "--db", "f.db", "--csv", "f.csv", "--quiet", NULL};
    int nothing = 0, partial = 0;
    for (rlim_t kib = 48; kib <= 1024; kib *= 2) {
        remove_db("f.db");
        unlink(path_in("f.csv"));
        int status = wait_for(spawn("simulate", sim, kib * 1024));
        char *err = said();
        if (status == 0) {
            assert_true(exists("f.csv"));
            assert_int_equal(db_count("f.db", "SELECT count(*) FROM point"), 6);
        } else {
            assert_int_equal(status, 2);
            assert_non_null(strstr(err, "simulate: f.db: "));
            assert_false(exists("f.csv"));
            if (exists("f.db")) {
                partial++;
                points_are_whole("f.db");
                assert_non_null(strstr(err, "points stored before it are whole and kept"));
            } else {
                nothing++;
            }
            assert_int_equal(files_starting(".f."), 0); /* no staged file left */
        }
        free(err);
    }
    assert_true(nothing > 0);

    /* an existing database that cannot grow: unchanged */
    remove_db("f.db");
    assert_int_equal(prog("simulate", "s1.ini --db f.db --quiet", NULL, NULL), 0);
    char *before = exact_rows("f.db");
    write_small(2);
    const char *more[] = {"s2.ini", "--db", "f.db", NULL};
    assert_int_equal(wait_for(spawn("simulate", more, 16 * 1024)), 2);
    char *after = exact_rows("f.db");
    assert_string_equal(before, after);
    free(before);
    free(after);

    /* calibrate: the profile and its rows, or neither */
    const char *cal[] = {"--device", "f", "--kernel", "x2", "--quick", "--out", "p.ini", "--db",
                         "p.db", "--quiet", NULL};
    int failed = 0;
    static const rlim_t cal_kib[] = {32, 64, 96, 104, 112, 128, 256};
    for (size_t i = 0; i < sizeof cal_kib / sizeof cal_kib[0]; i++) {
        rlim_t kib = cal_kib[i];
        remove_db("p.db");
        unlink(path_in("p.ini"));
        int status = wait_for(spawn("calibrate", cal, kib * 1024));
        if (status == 0) {
            assert_true(exists("p.ini"));
            assert_int_equal(db_count("p.db", "SELECT count(*) FROM calibration"), 1);
        } else {
            assert_int_equal(status, 2);
            failed++;
            assert_int_equal(files_starting("p."), 0);
            assert_int_equal(files_starting(".p."), 0);
        }
    }
    assert_true(failed > 0);

    if (!adi_plot_gnuplot_found())
        return;
    const char *plot[] = {"--db", "f.db", "--out", "figs", NULL};
    assert_int_equal(wait_for(spawn("plot", plot, 40 * 1024)), 2); /* room for a -shm */
    char *err = said();
    assert_non_null(strstr(err, "figs: cannot write: File too large")); /* not "wrote no figure" */
    free(err);
    assert_int_equal(entries(path_in("figs")), 0);
}

/* The same on a real full disk: a 128 KiB tmpfs (root only; skipped with a
** note otherwise): ENOSPC, and the messages say so. */
static char small_disk[700];

static int small_disk_teardown(void **state)
{
    if (small_disk[0])
        umount(small_disk);
    small_disk[0] = '\0';
    return temp_dir_teardown(state);
}

static void a_full_tmpfs_writes_nothing(void **state)
{
    (void)state;
    snprintf(small_disk, sizeof small_disk, "%s", path_in("small-disk"));
    assert_int_equal(mkdir(small_disk, 0755), 0);
    if (geteuid() != 0 || mount("tmpfs", small_disk, "tmpfs", 0, "size=128k") != 0) {
        fprintf(stderr, "test_cli_store: not root (or no tmpfs): the tmpfs test is skipped; "
                        "the RLIMIT_FSIZE test covers the same paths\n");
        small_disk[0] = '\0';
        return;
    }
    write_sweep(40000);
    char *err;
    assert_int_equal(prog("simulate", "sweep.ini --db small-disk/x.db --quiet", NULL, &err), 2);
    assert_non_null(strstr(err, "small-disk/x.db: cannot"));
    assert_non_null(strstr(err, "database or disk is full"));
    free(err);
    assert_int_equal(prog("calibrate", "--device t --kernel x2 --quick --out small-disk/t.ini"
                          " --db small-disk/t.db --quiet", NULL, &err), 2);
    assert_non_null(strstr(err, "small-disk/t.db: "));
    assert_non_null(strstr(err, "database or disk is full"));
    free(err);
    assert_int_equal(entries(small_disk), 0); /* nothing, not even a 0-byte database */
    if (adi_plot_gnuplot_found()) {
        write_small(1);
        assert_int_equal(prog("simulate", "s1.ini --db p.db --quiet", NULL, NULL), 0);
        /* the disk full but for a little */
        char cmd[900];
        snprintf(cmd, sizeof cmd, "dd if=/dev/zero of='%s/fill' bs=1k count=112 2>/dev/null",
                 small_disk);
        assert_int_equal(run_command(cmd, NULL, NULL), 0);
        assert_int_equal(prog("plot", "--db p.db --out small-disk/figs", NULL, &err), 2);
        assert_non_null(strstr(err, "small-disk/figs: cannot write: No space left on device"));
        free(err);
        assert_int_equal(entries(path_in("small-disk/figs")), 0);
    }
}

/* Outputs that cannot be written are found before any work: nothing else
** is written (--csv used to leave the whole database written, --merge a
** schema-only target). */
static void unwritable_outputs_write_nothing(void **state)
{
    (void)state;
    write_small(1);
    char *err;
    assert_int_equal(prog("simulate", "s1.ini --db a.db --csv nowhere/a.csv", NULL, &err), 2);
    assert_string_equal(err, "simulate: nowhere/a.csv: cannot write: No such file or directory\n");
    free(err);
    assert_int_equal(mkdir(path_in("adir"), 0755), 0);
    assert_int_equal(prog("simulate", "s1.ini --db a.db --csv adir", NULL, &err), 2);
    assert_string_equal(err, "simulate: adir: cannot write: Is a directory\n");
    free(err);
    assert_false(exists("a.db"));

    assert_int_equal(prog("simulate", "s1.ini --db good.db --quiet", NULL, NULL), 0);
    write_file(path_in("text.db"), "not a database at all, but a text file of some length.......\n");
    assert_int_equal(prog("simulate", "--merge good.db text.db --db out.db", NULL, &err), 2);
    assert_non_null(strstr(err, "text.db"));
    free(err);
    assert_int_equal(prog("simulate", "--merge good.db missing.db --db out.db", NULL, NULL), 2);
    assert_false(exists("out.db"));
    assert_int_equal(files_starting(".out.db"), 0);

    assert_int_equal(prog("calibrate", "--device c --kernel x2 --quick --out nowhere/c.ini"
                          " --db c.db --quiet", NULL, &err), 2);
    assert_non_null(strstr(err, "nowhere/c.ini: cannot write"));
    free(err);
    assert_false(exists("c.db"));
    assert_int_equal(files_starting(".c."), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(four_writers_on_a_new_database_lose_nothing, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(shards_and_twins_at_once, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(killed_sweeps_resume_to_the_same_bits, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(killed_calibrations_leave_whole_outputs, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(a_waiting_sweep_commits_what_it_has, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(readers_during_a_write_see_whole_points, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(a_full_disk_writes_nothing, temp_dir_setup, temp_dir_teardown),
        cmocka_unit_test_setup_teardown(a_full_tmpfs_writes_nothing, temp_dir_setup, small_disk_teardown),
        cmocka_unit_test_setup_teardown(unwritable_outputs_write_nothing, temp_dir_setup, temp_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
