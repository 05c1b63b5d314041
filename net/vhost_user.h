/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vhost_user.h: the vhost-user protocol as a back end (the device side)
 * speaks it, without any I/O: checking a front end's messages, its memory
 * table, and walking the split virtqueues it shares with us.
 *
 * Everything a front end sends is untrusted: every function here checks
 * sizes, counts, indices and addresses and says what is wrong in @err.
 * The transport (net/transports/vhost.c) does the reads, writes and mmaps.
 */
#ifndef UMLNET_VHOST_USER_H
#define UMLNET_VHOST_USER_H

#include <stddef.h>
#include <stdint.h>

/* message header: request, flags, payload size (all little-endian u32) */
#define VU_HDR_SIZE		12
#define VU_PAYLOAD_MAX		512u	/* our largest: the memory table */
#define VU_VERSION		0x1u
#define VU_FLAG_VERSION_MASK	0x3
#define VU_FLAG_REPLY		(1u << 2)
#define VU_FLAG_NEED_REPLY	(1u << 3)

enum vu_req {
	VU_GET_FEATURES = 1,
	VU_SET_FEATURES = 2,
	VU_SET_OWNER = 3,
	VU_RESET_OWNER = 4,
	VU_SET_MEM_TABLE = 5,
	VU_SET_LOG_BASE = 6,
	VU_SET_LOG_FD = 7,
	VU_SET_VRING_NUM = 8,
	VU_SET_VRING_ADDR = 9,
	VU_SET_VRING_BASE = 10,
	VU_GET_VRING_BASE = 11,
	VU_SET_VRING_KICK = 12,
	VU_SET_VRING_CALL = 13,
	VU_SET_VRING_ERR = 14,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_GET_QUEUE_NUM = 17,
	VU_SET_VRING_ENABLE = 18,
	VU_SEND_RARP = 19,
	VU_NET_SET_MTU = 20,
	VU_SET_BACKEND_REQ_FD = 21,
	VU_RESET_DEVICE = 34,
	VU_REQ_MAX
};

/* feature bits */
#define VU_F_CSUM		0	/* VIRTIO_NET_F_CSUM: guest tx partial */
#define VU_F_GUEST_CSUM		1	/* guest rx takes partial checksums */
#define VU_F_GUEST_TSO4		7
#define VU_F_GUEST_TSO6		8
#define VU_F_HOST_TSO4		11	/* guest tx may be TSO */
#define VU_F_HOST_TSO6		12
#define VU_F_MRG_RXBUF		15	/* VIRTIO_NET_F_MRG_RXBUF */
#define VU_F_PROTOCOL_FEATURES	30	/* VHOST_USER_F_PROTOCOL_FEATURES */
#define VU_F_VERSION_1		32	/* VIRTIO_F_VERSION_1 */
#define VU_FEATURES	((1ull << VU_F_MRG_RXBUF) | \
			 (1ull << VU_F_PROTOCOL_FEATURES) | \
			 (1ull << VU_F_VERSION_1))
/* offered besides to a consumer that takes offloads (tp->vnet_ok) */
#define VU_OFFLOADS	((1ull << VU_F_CSUM) | (1ull << VU_F_GUEST_CSUM) | \
			 (1ull << VU_F_GUEST_TSO4) | \
			 (1ull << VU_F_GUEST_TSO6) | \
			 (1ull << VU_F_HOST_TSO4) | (1ull << VU_F_HOST_TSO6))
/*
 * The back end's request channel (BACKEND_REQ, formerly SLAVE_REQ): we
 * never send on it, but UML's virtio_uml (6.1) takes the interrupt its
 * queues share from that channel, and without it asks for irq 0 (the
 * timer's) and fails.  Besides it REPLY_ACK (a message with NEED_REPLY
 * that has no reply of its own gets a u64 0 once done) and RESET_DEVICE:
 * no config, MQ, ...
 */
#define VU_PF_REPLY_ACK		3
#define VU_PF_BACKEND_REQ	5
/* RESET_DEVICE: QEMU resets a device with it (else RESET_OWNER) */
#define VU_PF_RESET_DEVICE	13
#define VU_PROTOCOL_FEATURES	((1ull << VU_PF_REPLY_ACK) | \
				 (1ull << VU_PF_BACKEND_REQ) | \
				 (1ull << VU_PF_RESET_DEVICE))

#define VU_NQUEUES		2u	/* 0: receiveq (to the guest), 1: transmitq */
#define VU_QUEUE_MAX		32768u	/* the largest ring size virtio allows */
#define VU_MAX_REGIONS		8u
#define VU_MAX_FDS		VU_MAX_REGIONS
#define VU_VRING_NOFD		(1ull << 8)	/* kick/call payload: no fd */
#define VU_NET_HDR_LEN		12	/* virtio_net_hdr with num_buffers */

struct vu_msg {
	uint32_t req;
	uint32_t flags;
	uint32_t size;
	uint8_t payload[VU_PAYLOAD_MAX];
};

/* one region of the front end's memory, as it describes it */
struct vu_region {
	uint64_t gpa;		/* guest physical address */
	uint64_t size;
	uint64_t uva;		/* the front end's user address */
	uint64_t off;		/* offset in its fd */
	uint8_t *host;		/* our mapping of [off, off + size), or NULL */
};

struct vu_mem {
	unsigned int n;
	struct vu_region r[VU_MAX_REGIONS];
};

/**
 * vu_msg_check() - check a whole message (header and @m->size payload
 * bytes already in @m) and the number of fds that came with it: known
 * request, version, payload size as the request wants, fds only where the
 * request takes them.
 * Return: 0 or -EINVAL (-EPROTO for a bad header) with @err filled in.
 */
int vu_msg_check(const struct vu_msg *m, unsigned int nfds, char *err,
		 size_t errlen);

/**
 * vu_hdr_parse() - the 12 header bytes at @b into @m.
 * Return: 0, or -EPROTO (bad version, payload too large).
 */
int vu_hdr_parse(const uint8_t *b, struct vu_msg *m, char *err,
		 size_t errlen);

/**
 * vu_mem_parse() - a SET_MEM_TABLE payload into @mem (host pointers NULL):
 * count equal to @nfds, within VU_MAX_REGIONS, no empty region, no
 * address or offset overflow, no two regions overlapping (either space).
 * Return: 0 or -EINVAL with @err naming the region.
 */
int vu_mem_parse(const struct vu_msg *m, unsigned int nfds,
		 struct vu_mem *mem, char *err, size_t errlen);

/**
 * vu_gpa() / vu_uva() - host pointer for @len bytes at guest physical
 * address (front end user address) @a, all inside one mapped region.
 * Return: the pointer, or NULL.
 */
uint8_t *vu_gpa(const struct vu_mem *mem, uint64_t a, uint64_t len);
uint8_t *vu_uva(const struct vu_mem *mem, uint64_t a, uint64_t len);

/* a split virtqueue */
struct vu_vq {
	uint32_t num;		/* 0: not set */
	uint64_t desc_ua, avail_ua, used_ua;	/* as the front end gave them */
	uint8_t *desc, *avail, *used;	/* translated (vu_vq_map) or NULL */
	uint16_t last_avail;	/* next avail entry to take */
	uint16_t used_idx;	/* our used->idx, published by vu_vq_publish */
	uint16_t pushed;	/* used entries not yet published */
	uint8_t enabled;	/* SET_VRING_ENABLE (or, without protocol
				 * features, the kick fd) let it run */
	uint8_t started;	/* from SET_VRING_KICK to GET_VRING_BASE */
	uint8_t broken;		/* the guest broke it: no more service */
};

/**
 * vu_vq_map() - translate the ring addresses through @mem (after
 * SET_VRING_ADDR or a new memory table), checking sizes and alignment.
 * Return: 0, or -EINVAL (unmapped ring) with @err.
 */
int vu_vq_map(struct vu_vq *vq, const struct vu_mem *mem, char *err,
	      size_t errlen);

static inline int vu_vq_ready(const struct vu_vq *vq)
{
	return vq->desc && vq->started && vq->enabled && !vq->broken;
}

#define VU_SEG_MAX	64u	/* descriptors in one chain, at most */

struct vu_seg {
	uint8_t *p;
	uint32_t len;
};

struct vu_chain {
	uint16_t head;
	unsigned int n;
	uint64_t total;		/* bytes of all segments */
	struct vu_seg seg[VU_SEG_MAX];
};

/**
 * vu_vq_pop() - take the next available chain of @vq: every descriptor
 * device-writable (@writable) or every one device-readable, each in a
 * mapped region; no indirect descriptors (not negotiated); at most
 * VU_SEG_MAX long and no loop.
 * Return: 1 with @c filled in, 0 if the ring holds none, or -EINVAL with
 * @err (the guest broke the ring: the caller stops serving it).
 */
int vu_vq_pop(struct vu_vq *vq, const struct vu_mem *mem, int writable,
	      struct vu_chain *c, char *err, size_t errlen);

/**
 * vu_vq_unpop() - give back the last @n chains taken (not yet pushed).
 */
void vu_vq_unpop(struct vu_vq *vq, unsigned int n);

/**
 * vu_vq_push() - put chain @head, @len bytes written, in the used ring
 * (not yet visible to the guest: vu_vq_publish()).
 */
void vu_vq_push(struct vu_vq *vq, uint16_t head, uint32_t len);

/**
 * vu_vq_publish() - make pushed entries visible.
 * Return: 1 if the guest wants an interrupt for them, else 0.
 */
int vu_vq_publish(struct vu_vq *vq);

/**
 * vu_vq_kicks() - tell the guest whether it need kick after adding chains
 * (the used ring's VIRTQ_USED_F_NO_NOTIFY): off while we are at work on
 * the ring and will come back to it anyway, on before we wait for a kick.
 * Return: with @on, 1 if chains came while kicks were off (take them:
 * their kick may never come), else 0.
 */
int vu_vq_kicks(struct vu_vq *vq, int on);

/**
 * vu_vq_avail() - does the ring hold chains we have not taken?
 */
int vu_vq_avail(const struct vu_vq *vq);

#endif /* UMLNET_VHOST_USER_H */
