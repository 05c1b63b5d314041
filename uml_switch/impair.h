/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * impair.h: per-port, per-direction link impairment (see link.h for how
 * settings are given): delay with jitter, random and Gilbert-Elliott
 * burst loss, duplication, reordering, bit corruption, a rate limit with
 * a bounded queue, and a frame size clamp.
 *
 * Theory of operation: a direction is "out" (frames toward the port, taken
 * from its output ring when it is flushed) or "in" (frames read from the
 * port, before they are forwarded).  A direction with settings has its
 * port's watch bit (PW_IMPAIR_OUT, PW_IMPAIR_IN) set; a port without any
 * takes the ordinary path at the cost of one test of that byte.  Each
 * frame of an impaired direction is dropped (clamp, loss, burst loss),
 * maybe corrupted (a copy when the buffer is shared), maybe duplicated,
 * and given a due time: now + delay (+ jitter), or now (reordered), then
 * the rate's serialization clock.  It waits, a pool buffer reference, in
 * the direction's heap (sized when the setting is applied: no allocation
 * per frame), until the loop's timeout (impair_timeout) says it is due:
 * then impair_run sends it (out) or forwards it (in).  A full heap drops
 * the frame at its tail, counted (rate_drop if a rate is set, else
 * queue_drop), in both directions.
 */
#ifndef UMLNET_IMPAIR_H
#define UMLNET_IMPAIR_H

#include <stddef.h>
#include <stdint.h>

struct sw;
struct jw;
struct buf;
struct port;
struct link_words;

enum { IMPAIR_OUT, IMPAIR_IN, IMPAIR_NDIR };
enum { IMPAIR_UNIFORM, IMPAIR_NORMAL };

#define IMPAIR_ONE		1000000u	/* probabilities: millionths */
#define IMPAIR_QUEUE_DEFAULT	1000		/* frames a direction may hold */
#define IMPAIR_QUEUE_MAX	16384
#define IMPAIR_DELAY_MAX_US	10000000u	/* 10 s */
#define IMPAIR_RATE_MAX		100000000000ull	/* 100 Gbit/s */
#define IMPAIR_ETH_HLEN		14		/* clamp: payload after it */

/* One direction's settings; all zero: none. */
struct impair_set {
	uint32_t delay_us, jitter_us;
	uint8_t dist;			/* IMPAIR_UNIFORM, IMPAIR_NORMAL */
	uint32_t loss, dup, reorder, corrupt;	/* millionths */
	uint32_t ge_p, ge_r, ge_h;	/* burst: good->bad, bad->good, loss
					 * in bad (millionths) */
	uint64_t rate;			/* bit/s; 0: none */
	uint32_t queue;			/* frames; 0: IMPAIR_QUEUE_DEFAULT */
	uint32_t clamp;			/* largest payload, bytes; 0: none */
};

/* A port's impairment settings: what link_parse fills and impair_apply
 * sets.  @d is the port's settings when parsing starts; the request's
 * settings are kept apart (@req, @given) until its direction is known,
 * and merged by impair_merge(). */
struct impair_cfg {
	struct impair_set d[IMPAIR_NDIR];
	struct impair_set req;
	uint32_t given;		/* 1 << IMPAIR_K_* of @req's keys */
	int8_t dir;		/* the request's direction, -1: not named */
	uint8_t clear;		/* "clear": the direction(s) start empty */
	uint8_t has_seed;
	uint64_t seed;
};

/* The counters of a direction, in impair_ctr_names[] order. */
enum {
	IMPAIR_C_DELAYED, IMPAIR_C_LOST, IMPAIR_C_LOST_BURST,
	IMPAIR_C_DUPLICATED, IMPAIR_C_REORDERED, IMPAIR_C_CORRUPTED,
	IMPAIR_C_RATE_DROP, IMPAIR_C_QUEUE_DROP, IMPAIR_C_CLAMP_DROP,
	IMPAIR_NCTR
};
extern const char *const impair_ctr_names[IMPAIR_NCTR];

/* A frame waiting in a direction's heap. */
struct impair_ent {
	uint64_t due_us;
	uint32_t seq;		/* ties: first in, first out */
	struct buf *b;
};

/* A direction's state (impair_path.c). */
struct impair_dir {
	struct impair_set s;
	struct impair_ent *heap;	/* a min-heap of due times */
	uint32_t n, cap, nlarge;
	uint32_t seq;
	uint8_t bad;		/* Gilbert-Elliott: in the bad state */
	uint64_t rng[4];	/* xoshiro256** */
	uint64_t clock_ns;	/* rate: the link is busy until then */
	uint64_t last_due_us;	/* the latest due time queued */
	uint64_t retry_us;	/* in: a destination was full; again then */
	uint64_t ctr[IMPAIR_NCTR];
};

/* A port's impairment state, made when it is first given settings. */
struct impair_port {
	struct impair_dir d[IMPAIR_NDIR];
	uint64_t seed;
};

extern const char *const impair_keys[];	/* NULL-terminated */

/** impair_cfg_get() - port @idx's settings now (@idx 0: the defaults). */
void impair_cfg_get(const struct sw *sw, int idx, struct impair_cfg *c);

/**
 * impair_parse() - the setting whose key is word *@i of @lw: consume it
 * and its values (*@i is left on the next setting's key).
 * Return: 0, or -EINVAL with @err naming the word at fault.
 */
int impair_parse(struct impair_cfg *c, const struct link_words *lw,
		 unsigned int *i, char *err, size_t errlen);

/** impair_check() - are settings @c, as a whole, consistent? */
int impair_check(const struct impair_cfg *c, char *err, size_t errlen);

/**
 * impair_merge() - the settings of each direction once request @c is
 * applied: @out[IMPAIR_OUT], @out[IMPAIR_IN].
 */
void impair_merge(const struct impair_cfg *c, struct impair_set *out);

/** impair_set_format() - @s as settings words ("" if none) into @buf. */
void impair_set_format(const struct impair_set *s, char *buf, size_t len);

/** impair_apply() - give port @idx settings @c. */
void impair_apply(struct sw *sw, int idx, const struct impair_cfg *c);

/** impair_json() - port @idx's impairment as members of the open object. */
void impair_json(const struct sw *sw, struct jw *w, int idx);

/** impair_port_close() - port @idx goes: free what it holds. */
void impair_port_close(struct sw *sw, int idx);

/* impair_path.c: the data path */

/**
 * impair_dir_set() - direction @d takes settings @s (and, @seed non-NULL,
 * a PRNG seeded from *@seed); its heap is resized to the queue bound.
 * Return: 0, or -ENOMEM (the direction keeps what it had).
 */
int impair_dir_set(struct sw *sw, struct impair_dir *d,
		   const struct impair_set *s, const uint64_t *seed);

/** impair_dir_free() - drop every frame @d holds and its heap. */
void impair_dir_free(struct sw *sw, struct impair_dir *d);

/** impair_set_active() - does @s impair anything? */
int impair_set_active(const struct impair_set *s);

/**
 * impair_watch() - set or clear port @p's PW_IMPAIR_* bits: a direction
 * is watched while it has settings or holds frames.
 */
void impair_watch(struct sw *sw, struct port *p);

/**
 * impair_in() - the @n frames @b read from port @idx (which has
 * PW_IMPAIR_IN) enter its "in" stage; it takes the caller's references.
 */
void impair_in(struct sw *sw, int idx, struct buf **b, unsigned int n);

/**
 * impair_flush() - port @idx (which has PW_IMPAIR_OUT) is flushed: its
 * output ring enters the "out" stage, and what is due is sent.
 */
void impair_flush(struct sw *sw, int idx);

/**
 * impair_timeout() - how long in us until the next frame is due, at most
 * @max.
 */
uint64_t impair_timeout(struct sw *sw, uint64_t max);

/** impair_run() - send or forward every frame that is due. */
void impair_run(struct sw *sw);

/**
 * impair_frame() - frame @b (a reference the caller keeps) enters
 * direction @d at time @now_us: dropped, or queued once or twice.
 * Exposed for the unit tests; @sw gives the pool.
 */
void impair_frame(struct sw *sw, struct impair_dir *d, struct buf *b,
		  uint64_t now_us);

/**
 * impair_pop_due() - the earliest frame of @d due by @now_us (its
 * reference is the caller's), or NULL.
 */
struct buf *impair_pop_due(struct impair_dir *d, uint64_t now_us);

/* impair_rng.c: the PRNG (xoshiro256**, seeded by splitmix64) */

/** impair_rng_seed() - seed @s from @seed. */
void impair_rng_seed(uint64_t s[4], uint64_t seed);

/** impair_rng_next() - the next 64 random bits of @s. */
uint64_t impair_rng_next(uint64_t s[4]);

/** impair_chance() - true with probability @p millionths. */
int impair_chance(uint64_t s[4], uint32_t p);

/** impair_ge_lose() - one step of the Gilbert-Elliott chain of @d. */
int impair_ge_lose(struct impair_dir *d);

uint32_t impair_delay_sample(struct impair_dir *d);

#endif /* UMLNET_IMPAIR_H */
