// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_impair: link impairment (uml_switch/impair*.c): the settings'
 * grammar, good and bad; no setting word is a transport's key; the PRNG
 * is reproducible; loss and Gilbert-Elliott statistics; the delay heap's
 * order, the rate's serialization clock, the queue bound, corruption of a
 * shared buffer, duplication.
 */
#include <string.h>

#include "../../uml_switch/link.h"
#include "../../uml_switch/sw.h"
#include "transport.h"
#include "test.h"

static struct sw sw;

static int parse(const char *text, struct impair_set *m, char *err,
		 size_t errlen)
{
	struct link_cfg c;
	int ret = link_parse(&sw, 0, text, &c, err, errlen);

	if (!ret)
		impair_merge(&c.imp, m);
	return ret;
}

static void test_good(void)
{
	struct impair_set m[IMPAIR_NDIR], m2[IMPAIR_NDIR];
	char err[160], text[LINK_TEXT_MAX];

	CHECK(!parse("delay 50ms jitter 5ms dist normal loss 10% dup 1% "
		     "reorder 5% corrupt 0.1% rate 10mbit queue 50 clamp 1400",
		     m, err, sizeof(err)));
	CHECK(m[IMPAIR_OUT].delay_us == 50000);
	CHECK(m[IMPAIR_OUT].jitter_us == 5000);
	CHECK(m[IMPAIR_OUT].dist == IMPAIR_NORMAL);
	CHECK(m[IMPAIR_OUT].loss == 100000);
	CHECK(m[IMPAIR_OUT].dup == 10000);
	CHECK(m[IMPAIR_OUT].reorder == 50000);
	CHECK(m[IMPAIR_OUT].corrupt == 1000);
	CHECK(m[IMPAIR_OUT].rate == 10000000);
	CHECK(m[IMPAIR_OUT].queue == 50);
	CHECK(m[IMPAIR_OUT].clamp == 1400);
	CHECK(!impair_set_active(&m[IMPAIR_IN]));
	/* the format parses back to the same settings */
	impair_set_format(&m[IMPAIR_OUT], text, sizeof(text));
	CHECK(!strcmp(text, "delay 50ms jitter 5ms dist normal loss 10% "
		      "dup 1% reorder 5% corrupt 0.1% rate 10mbit queue 50 "
		      "clamp 1400"));
	CHECK(!parse(text, m2, err, sizeof(err)));
	CHECK(!memcmp(&m[IMPAIR_OUT], &m2[IMPAIR_OUT], sizeof(m2[0])));
	/* '=' and ',' are spaces; the direction word is the request's */
	CHECK(!parse("delay=1.5s,in", m, err, sizeof(err)));
	CHECK(m[IMPAIR_IN].delay_us == 1500000 && !m[IMPAIR_OUT].delay_us);
	CHECK(!parse("in loss 0.0001%", m, err, sizeof(err)));
	CHECK(m[IMPAIR_IN].loss == 1);
	CHECK(!parse("burst 2% 25%", m, err, sizeof(err)));
	CHECK(m[IMPAIR_OUT].ge_p == 20000 && m[IMPAIR_OUT].ge_r == 250000 &&
	      m[IMPAIR_OUT].ge_h == IMPAIR_ONE);
	CHECK(!parse("burst 1% 10% 50% loss 1%", m, err, sizeof(err)));
	CHECK(m[IMPAIR_OUT].ge_h == 500000 && m[IMPAIR_OUT].loss == 10000);
	CHECK(!parse("rate 1.5gbit", m, err, sizeof(err)));
	CHECK(m[IMPAIR_OUT].rate == 1500000000);
	CHECK(!parse("delay 250us seed 7 clear", m, err, sizeof(err)));
	CHECK(m[IMPAIR_OUT].delay_us == 250);
	CHECK(!parse("", m, err, sizeof(err)));
	CHECK(!parse("clear in", m, err, sizeof(err)));
}

static void test_clear_merge(void)
{
	struct impair_set m[IMPAIR_NDIR];
	struct impair_cfg c;

	memset(&c, 0, sizeof(c));
	c.dir = -1;
	c.d[IMPAIR_OUT].delay_us = 10;
	c.d[IMPAIR_IN].loss = 20;
	c.clear = 1;
	impair_merge(&c, m);
	CHECK(!impair_set_active(&m[0]) && !impair_set_active(&m[1]));
	c.dir = IMPAIR_IN;
	impair_merge(&c, m);
	CHECK(m[IMPAIR_OUT].delay_us == 10 && !m[IMPAIR_IN].loss);
	c.clear = 0;
	c.req.dup = 5;
	c.given = 1U << 5;	/* IMPAIR_K_DUP: kept, others untouched */
	impair_merge(&c, m);
	CHECK(m[IMPAIR_IN].dup == 5 && m[IMPAIR_IN].loss == 20);
}

struct bad {
	const char *text, *word;
};

static void test_bad(void)
{
	static const struct bad bad[] = {
		{ "loss 120%", "120%" }, { "loss 10", "10" },
		{ "loss", "needs a value" }, { "loss x%", "x%" },
		{ "delay -5ms", "-5ms" }, { "delay 5", "'5'" },
		{ "delay 5parsecs", "5parsecs" }, { "delay 11s", "11s" },
		{ "delay 1.0000001s", "1.0000001s" }, { "delay .5s", ".5s" },
		{ "jitter 5ms", "jitter needs a delay" },
		{ "delay 1ms jitter 2ms", "jitter larger" },
		{ "reorder 5%", "reorder needs a delay" },
		{ "rate 0mbit", "more than 0" }, { "rate 10", "'10'" },
		{ "rate 10mbps", "10mbps" }, { "rate 200gbit", "200gbit" },
		{ "queue 0", "queue '0'" }, { "queue 99999", "99999" },
		{ "queue 1.5", "1.5" }, { "clamp 70000", "70000" },
		{ "dist gaussian", "gaussian" }, { "dist", "needs a value" },
		{ "burst 1%", "needs a value" }, { "burst 1% 0%", "must end" },
		{ "seed abc", "abc" }, { "frobnicate 3", "frobnicate" },
		{ "delay 5ms 6ms", "'6ms'" }, { "loss 1% loss 2%", "twice" },
		{ "delay 5ms in out", "'out'" }, { "in", "no setting" },
		{ "mtu 1400", "mtu" }, { "", NULL }
	};
	struct impair_set m[IMPAIR_NDIR];
	const struct bad *b;
	char err[160];

	for (b = bad; b->word; b++) {
		err[0] = '\0';
		if (!parse(b->text, m, err, sizeof(err))) {
			fprintf(stderr, "'%s': accepted\n", b->text);
			CHECK(0);
		} else if (!strstr(err, b->word)) {
			fprintf(stderr, "'%s': error '%s' lacks '%s'\n",
				b->text, err, b->word);
			CHECK(0);
		}
	}
}

/* A --port spec item whose key is a link key is the switch's: none may
 * be a transport's own key (slirp's "mtu" is why the clamp is "clamp"). */
static void test_no_collision(void)
{
	const struct tp_ops *ops;
	const char *const *k;
	unsigned int i;

	for (i = 0; (ops = tp_registry(i)); i++)
		for (k = ops->keys; k && *k; k++)
			if (link_is_key(*k, strlen(*k))) {
				fprintf(stderr, "%s: key '%s' is a link key\n",
					ops->name, *k);
				CHECK(0);
			}
	CHECK(i >= 9);
	CHECK(link_is_key("delay", 5) && link_is_key("in", 2) &&
	      link_is_key("clamp", 5) && !link_is_key("mtu", 3));
}

static void test_rng(void)
{
	uint64_t a[4], b[4], c[4];
	int i, same = 1, diff = 0;

	impair_rng_seed(a, 42);
	impair_rng_seed(b, 42);
	impair_rng_seed(c, 43);
	for (i = 0; i < 1000; i++) {
		uint64_t x = impair_rng_next(a);

		same &= x == impair_rng_next(b);
		diff += x != impair_rng_next(c);
	}
	CHECK(same);
	CHECK(diff == 1000);
}

static void test_loss_stats(void)
{
	uint64_t s[4];
	unsigned int i, lost = 0;

	impair_rng_seed(s, 1);
	for (i = 0; i < 100000; i++)
		lost += impair_chance(s, 100000);	/* 10% */
	printf("loss 10%% over 100000 draws: %.3f%%\n", lost / 1000.0);
	CHECK(lost >= 9500 && lost <= 10500);
	CHECK(!impair_chance(s, 0));
	for (i = 0, lost = 0; i < 1000; i++)
		lost += impair_chance(s, IMPAIR_ONE);
	CHECK(lost == 1000);
}

static void test_gilbert(void)
{
	struct impair_dir d;
	unsigned int i, lost = 0, bursts = 0, run = 0;
	double mean, frac;

	memset(&d, 0, sizeof(d));
	impair_rng_seed(d.rng, 5);
	d.s.ge_p = 20000;	/* 2% good -> bad */
	d.s.ge_r = 250000;	/* 25% bad -> good: bursts of 4 on average */
	d.s.ge_h = IMPAIR_ONE;
	for (i = 0; i < 200000; i++) {
		if (impair_ge_lose(&d)) {
			lost++;
			run++;
		} else if (run) {
			bursts++;
			run = 0;
		}
	}
	mean = (double)lost / bursts;
	frac = (double)lost / 200000;
	printf("burst 2%% 25%%: mean burst %.2f (1/r = 4), loss %.2f%% "
	       "(p/(p+r) = 7.41%%)\n", mean, frac * 100);
	CHECK(mean > 3.6 && mean < 4.4);
	CHECK(frac > 0.066 && frac < 0.082);
}

static struct buf *frame(uint32_t len)
{
	struct buf *b = pool_get(&sw.pool, 0);

	memset(b->data, 0xab, len);
	b->len = len;
	return b;
}

static void test_heap_order(void)
{
	struct impair_set s = { .delay_us = 10000, .jitter_us = 5000 };
	struct impair_dir d;
	uint64_t seed = 3, last = 0, due;
	unsigned int i, n = 0, free0 = sw.pool.nfree_small;
	struct buf *b;

	memset(&d, 0, sizeof(d));
	CHECK(!impair_dir_set(&sw, &d, &s, &seed));
	for (i = 0; i < 200; i++) {
		b = frame(60);
		b->data[0] = (uint8_t)i;
		impair_frame(&sw, &d, b, i * 100);
		pool_put(&sw.pool, b);
	}
	CHECK(d.n == 200 && d.ctr[IMPAIR_C_DELAYED] == 200);
	CHECK(!impair_pop_due(&d, 4999));	/* nothing before 5 ms */
	for (due = 5000; due <= 40000; due += 250)
		while ((b = impair_pop_due(&d, due))) {
			CHECK(due >= last);
			last = due;
			n++;
			pool_put(&sw.pool, b);
		}
	CHECK(n == 200 && !d.n);
	/* without jitter: first in, first out */
	s.jitter_us = 0;
	CHECK(!impair_dir_set(&sw, &d, &s, NULL));
	for (i = 0; i < 50; i++) {
		b = frame(60);
		b->data[0] = (uint8_t)i;
		impair_frame(&sw, &d, b, 0);
		pool_put(&sw.pool, b);
	}
	for (i = 0; (b = impair_pop_due(&d, 10000)); i++) {
		CHECK(b->data[0] == i);
		pool_put(&sw.pool, b);
	}
	CHECK(i == 50);
	impair_dir_free(&sw, &d);
	CHECK(sw.pool.nfree_small == free0);
}

static void test_rate_clock(void)
{
	struct impair_set s = { .rate = 10000000, .queue = 100 };
	struct impair_dir d;
	struct buf *b;
	unsigned int i, free0 = sw.pool.nfree_small;
	uint64_t t;

	memset(&d, 0, sizeof(d));
	CHECK(!impair_dir_set(&sw, &d, &s, NULL));
	/* 1250 bytes at 10 Mbit/s: 1 ms each, back to back */
	for (i = 0; i < 110; i++) {
		b = frame(1250);
		impair_frame(&sw, &d, b, 1000000);
		pool_put(&sw.pool, b);
	}
	CHECK(d.n == 100 && d.ctr[IMPAIR_C_RATE_DROP] == 10);
	for (i = 1; i <= 100; i++) {
		t = 1000000 + i * 1000;
		CHECK(!impair_pop_due(&d, t - 1));
		b = impair_pop_due(&d, t);
		CHECK(b != NULL);
		if (b)
			pool_put(&sw.pool, b);
	}
	CHECK(!d.n);
	/* an idle link starts at once: the clock does not bank credit */
	b = frame(1250);
	impair_frame(&sw, &d, b, 5000000);
	pool_put(&sw.pool, b);
	CHECK(!impair_pop_due(&d, 5000999));
	b = impair_pop_due(&d, 5001000);
	CHECK(b != NULL);
	if (b)
		pool_put(&sw.pool, b);
	impair_dir_free(&sw, &d);
	CHECK(sw.pool.nfree_small == free0);
}

static void test_corrupt_dup_clamp(void)
{
	struct impair_set s = { .corrupt = IMPAIR_ONE, .dup = IMPAIR_ONE,
				.clamp = 100 };
	struct impair_dir d;
	struct buf *b, *x, *y;
	unsigned int i, diff = 0, free0 = sw.pool.nfree_small;

	memset(&d, 0, sizeof(d));
	CHECK(!impair_dir_set(&sw, &d, &s, NULL));
	b = frame(114);
	b->refs++;		/* shared with another port's queue */
	b->vm = (struct vlan_meta){ .vid = 20, .prio = 0xa000, .tagged = 1 };
	impair_frame(&sw, &d, b, 0);
	CHECK(d.n == 2 && d.ctr[IMPAIR_C_CORRUPTED] == 1 &&
	      d.ctr[IMPAIR_C_DUPLICATED] == 1);
	x = impair_pop_due(&d, 0);
	y = impair_pop_due(&d, 0);
	CHECK(x && x == y && x != b);	/* one copy, sent twice */
	CHECK(x && x->vm.vid == 20 && x->vm.prio == 0xa000 && x->vm.tagged);
	for (i = 0; i < 114; i++)
		CHECK(b->data[i] == 0xab);	/* the other port's intact */
	for (i = 0; x && i < 114; i++)
		diff += __builtin_popcount(x->data[i] ^ 0xab);
	CHECK(diff == 1);		/* one bit flipped */
	if (x) {
		pool_put(&sw.pool, x);
		pool_put(&sw.pool, y);
	}
	pool_put(&sw.pool, b);
	pool_put(&sw.pool, b);
	b = frame(115);			/* payload 101 > clamp 100 */
	impair_frame(&sw, &d, b, 0);
	CHECK(!d.n && d.ctr[IMPAIR_C_CLAMP_DROP] == 1);
	pool_put(&sw.pool, b);
	impair_dir_free(&sw, &d);
	CHECK(sw.pool.nfree_small == free0);
}

int main(void)
{
	if (pool_init(&sw.pool, 1024, 16))
		return 1;
	sw.large_max = 16;
	test_good();
	test_clear_merge();
	test_bad();
	test_no_collision();
	test_rng();
	test_loss_stats();
	test_gilbert();
	test_heap_order();
	test_rate_clock();
	test_corrupt_dup_clamp();
	pool_free(&sw.pool);
	TEST_DONE("test_impair");
}
