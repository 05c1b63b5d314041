// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * impair_rng.c: impairment's random numbers: xoshiro256** (Blackman and
 * Vigna), seeded through splitmix64, so that "seed N" makes a lab's losses
 * the same run after run; chances in millionths, the Gilbert-Elliott
 * chain, and a delay's jitter.
 */
#include <stdint.h>

#include "impair.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void impair_rng_seed(uint64_t s[4], uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t impair_rng_next(uint64_t s[4])
{
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* A draw in [0, IMPAIR_ONE): the top 32 bits scaled, not a modulo. */
static uint32_t rng_millionths(uint64_t s[4])
{
	return (uint32_t)(((impair_rng_next(s) >> 32) * IMPAIR_ONE) >> 32);
}

int impair_chance(uint64_t s[4], uint32_t p)
{
	return p && rng_millionths(s) < p;
}

/*
 * Gilbert-Elliott: two states; from good the chain goes bad with
 * probability ge_p per frame, from bad good again with ge_r; a frame is
 * lost in the bad state with probability ge_h (in the good one never:
 * "loss" adds independent loss).  With ge_h 100% a burst lasts 1/ge_r
 * frames on average.
 */
int impair_ge_lose(struct impair_dir *d)
{
	if (d->bad) {
		if (impair_chance(d->rng, d->s.ge_r))
			d->bad = 0;
	} else if (impair_chance(d->rng, d->s.ge_p)) {
		d->bad = 1;
	}
	return d->bad && impair_chance(d->rng, d->s.ge_h);
}

/**
 * impair_delay_sample() - one frame's delay in us: the delay, give or
 * take the jitter, uniformly or (approximately, a sum of 12 uniform
 * draws) normally with the jitter as standard deviation; never below 0.
 */
uint32_t impair_delay_sample(struct impair_dir *d)
{
	const struct impair_set *s = &d->s;
	int64_t off, sum = 0;
	int i;

	if (!s->jitter_us)
		return s->delay_us;
	if (s->dist == IMPAIR_UNIFORM) {
		off = (int64_t)(impair_rng_next(d->rng) %
				(2 * (uint64_t)s->jitter_us + 1)) -
		      (int64_t)s->jitter_us;
	} else {
		for (i = 0; i < 12; i++)
			sum += (int64_t)(impair_rng_next(d->rng) >> 40);
		sum -= 6ll << 24;	/* mean 0, variance 1 in units of 2^24 */
		off = sum * (int64_t)s->jitter_us / (1ll << 24);
	}
	off += s->delay_us;
	return off < 0 ? 0 : (uint32_t)off;
}
