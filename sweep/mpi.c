/*
** sweep/mpi.c — the MPI layer of a sweep (see mpi.h): the transport only;
** sweep/run.c decides when it is used. Without ADI_MPI (make MPI=1) every
** process is rank 0 of 1.
**
** Messages, rank r >= 1 to rank 0: the status (int) and message (char
** [1024]); on success rank 0 answers "go" (int) when it is ready for this
** rank's results, and then the database size (uint64) and its bytes in
** chunks of at most 1 GiB (MPI counts are ints) follow.
**
** Waiting ranks sleep. OpenMPI's blocking calls poll in a busy loop, so a
** rank that had finished its share, or waited for rank 0 to merge into the
** database (seconds on a slow disk), burned a core the ranks still
** simulating could use: as much CPU as it waited (0.5 s of a 0.5 s wait
** with 2 ranks on 2 cores; the ablation on 3 ranks took 1.7 s of CPU
** instead of 1.2 s). Every wait that can last (for a broadcast, for a
** rank's status, for the "go") is a non-blocking call tested between
** sleeps of 50 us doubling to 2 ms, so a message is seen at most 2 ms
** late. Once both sides are ready the database moves with blocking calls:
** the sender is sending, so that wait is the transfer itself, and a
** polled large transfer would stall between fragments.
*/
#include "sweep/mpi.h"
#include "core/error.h"
#include "store/merge.h"

#include <stdlib.h>
#include <string.h>

#ifdef ADI_MPI

#include <mpi.h>
#include <stdint.h>
#include <time.h>

#define CHUNK (1 << 30)
enum { TAG_STATUS = 1, TAG_SIZE, TAG_DATA, TAG_GO };

/* Completes req without spinning (see the top of the file). */
static void idle_wait(MPI_Request *req)
{
    long ns = 50000;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        struct timespec pause = {0, ns};
        nanosleep(&pause, NULL);
        if (ns < 2000000)
            ns *= 2;
    }
}

/* MPI_Bcast from rank 0, waiting idle. */
static void bcast(void *buf, int count, MPI_Datatype type)
{
    MPI_Request req;
    MPI_Ibcast(buf, count, type, 0, MPI_COMM_WORLD, &req);
    idle_wait(&req);
}

/* MPI_Recv waiting idle (for a message that may be long in coming). */
static void recv_idle(void *buf, int count, MPI_Datatype type, int from, int tag)
{
    MPI_Request req;
    MPI_Irecv(buf, count, type, from, tag, MPI_COMM_WORLD, &req);
    idle_wait(&req);
}

/* MPI_Send waiting idle (the receiver may not be there yet). */
static void send_idle(const void *buf, int count, MPI_Datatype type, int to, int tag)
{
    MPI_Request req;
    MPI_Isend(buf, count, type, to, tag, MPI_COMM_WORLD, &req);
    idle_wait(&req);
}

int adi_mpi_start(int *argc, char ***argv)
{
    int rank;
    MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

void adi_mpi_stop(void)
{
    MPI_Finalize();
}

int adi_mpi_ranks(void)
{
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

static void send_bytes(const unsigned char *data, uint64_t size)
{
    MPI_Send(&size, 1, MPI_UINT64_T, 0, TAG_SIZE, MPI_COMM_WORLD);
    for (uint64_t off = 0; off < size; off += CHUNK) {
        int n = (int)(size - off < CHUNK ? size - off : CHUNK);
        MPI_Send(data + off, n, MPI_UNSIGNED_CHAR, 0, TAG_DATA, MPI_COMM_WORLD);
    }
}

/* Receives rank r's database into a store of its own (*db), or its error. */
static int receive(int r, adi_store **db)
{
    int status, go = 1;
    char message[1024];
    recv_idle(&status, 1, MPI_INT, r, TAG_STATUS); /* r may still be simulating */
    MPI_Recv(message, sizeof message, MPI_CHAR, r, TAG_STATUS, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (status != ADI_OK)
        return adi_fail(status, "rank %d: %s", r, message);
    MPI_Send(&go, 1, MPI_INT, r, TAG_GO, MPI_COMM_WORLD);
    uint64_t size;
    MPI_Recv(&size, 1, MPI_UINT64_T, r, TAG_SIZE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    unsigned char *data = adi_store_bytes_alloc((size_t)size);
    for (uint64_t off = 0; off < size; off += CHUNK) {
        int n = (int)(size - off < CHUNK ? size - off : CHUNK);
        MPI_Recv(data ? data + off : NULL, data ? n : 0, MPI_UNSIGNED_CHAR, r, TAG_DATA,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    if (!data || adi_store_open_bytes(data, (size_t)size, "a rank's results", db) != ADI_OK)
        return adi_fail(ADI_ENOMEM, "rank %d: cannot take its results", r);
    return ADI_OK;
}

int adi_mpi_sweep(const char *db_path, const adi_scenario *sc, adi_sweep_options opt,
                  adi_sweep_stats *stats, adi_store **out)
{
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    *out = NULL;
    memset(stats, 0, sizeof *stats);
    size_t n = adi_scenario_npoints(sc);
    unsigned char *skip = calloc(n ? n : 1, 1);
    adi_store *target = NULL, *mine = NULL;
    adi_store_sweep *writer = NULL;
    int rc = skip ? ADI_OK : adi_fail(ADI_ENOMEM, "out of memory");

    /* Rank 0: the target, the points it holds, and the verdict for all. */
    if (rank == 0 && rc == ADI_OK && (rc = adi_store_open(db_path, 1, &target)) == ADI_OK)
        rc = adi_store_sweep_begin(target, sc, skip, &stats->stored_before, &writer);
    bcast(&rc, 1, MPI_INT);
    if (rc != ADI_OK) {
        if (rank != 0)
            rc = adi_fail(rc, "rank 0 could not open %s", db_path);
        goto done;
    }
    bcast(skip, (int)n, MPI_UNSIGNED_CHAR);

    /* Every rank: its share, into memory. */
    opt.skip = skip;
    opt.shard = (unsigned)rank;
    opt.shards = (unsigned)size;
    adi_sweep_stats mine_stats;
    rc = adi_store_open(":memory:", 1, &mine);
    if (rc == ADI_OK)
        rc = adi_sweep_into_store(mine, sc, opt, &mine_stats);

    if (rank != 0) {
        char message[1024];
        snprintf(message, sizeof message, "%s", rc == ADI_OK ? "" : adi_errmsg());
        send_idle(&rc, 1, MPI_INT, 0, TAG_STATUS);
        send_idle(message, sizeof message, MPI_CHAR, 0, TAG_STATUS);
        if (rc == ADI_OK) {
            unsigned char *data;
            size_t bytes;
            adi_store_serialize(mine, &data, &bytes);
            int go;
            recv_idle(&go, 1, MPI_INT, 0, TAG_GO); /* rank 0 takes the ranks in turn */
            send_bytes(data, data ? (uint64_t)bytes : 0);
            adi_store_bytes_free(data);
        }
    } else {
        /* Rank 0: gather every share (its own first) and merge in sweep order. */
        adi_store **shares = calloc((size_t)size, sizeof *shares);
        int first = rc;
        if (!shares)
            first = adi_fail(ADI_ENOMEM, "out of memory");
        for (int r = 1; r < size; r++) {
            adi_store *spare = NULL; /* where a share goes if there is no array */
            int got = receive(r, shares ? &shares[r] : &spare);
            adi_store_close(spare);
            if (got != ADI_OK && first == ADI_OK)
                first = got;
        }
        rc = first;
        if (rc == ADI_OK) {
            shares[0] = mine;
            adi_merge_stats ms = {0};
            rc = adi_store_merge(target, shares, (size_t)size, &ms);
            stats->ran = ms.points_added;
            adi_merge_stats_free(&ms);
        }
        /* the scenario row (merged with the points) and its links to the
        ** points stored before */
        if (rc == ADI_OK)
            rc = adi_store_sweep_finish(writer, &stats->scenario_id);
        for (int r = 1; shares && r < size; r++)
            adi_store_close(shares[r]);
        free(shares);
        stats->points = n;
        for (size_t i = 0; i < n; i++) {
            const adi_point *p = adi_scenario_point(sc, i);
            stats->infeasible += p->infeasible != NULL;
            if (!p->infeasible && !skip[i])
                stats->runs += p->replications;
        }
        stats->elapsed_s = mine_stats.elapsed_s;
    }
    /* Everyone learns the outcome, so every process exits the same way. */
    bcast(&rc, 1, MPI_INT);
done:
    adi_store_sweep_free(writer);
    adi_store_close(mine);
    free(skip);
    if (rank == 0 && rc == ADI_OK)
        *out = target;
    else
        adi_store_close(target);
    return rc;
}
#else
int adi_mpi_start(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void adi_mpi_stop(void) {}

int adi_mpi_ranks(void) { return 1; }

int adi_mpi_sweep(const char *db_path, const adi_scenario *sc, adi_sweep_options opt,
                  adi_sweep_stats *stats, adi_store **out)
{
    (void)db_path;
    (void)sc;
    (void)opt;
    memset(stats, 0, sizeof *stats);
    *out = NULL;
    return adi_fail(ADI_EINTERNAL, "this build has no MPI (make MPI=1)");
}
#endif
