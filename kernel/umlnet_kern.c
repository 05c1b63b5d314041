// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * umlnet_kern.c: the kernel half of the umlnet UML network driver:
 * ethN=<transport>,<options> devices, their IRQs, NAPI receive, transmit
 * with flow control, ethtool and mconsole hot-plug.  Every frame goes
 * through a net/ transport by way of umlnet_user.c.
 *
 * Theory of operation.  A device owns one open transport from creation
 * (boot or mconsole "config") to removal, so a bad spec or an unreachable
 * peer is reported at once and no device appears.  While the interface is
 * up, the transport's fd has a read IRQ, which schedules NAPI (the poll
 * drains in batches), and the fd it sends on (its wfd) a write IRQ.
 * Transmit never drops for lack of room: when the transport would block,
 * the frame is kept, the queue is stopped, and the write IRQ (with a
 * one-tick timer as a backstop) retries it and wakes the queue.  A stream
 * socket may take only part of a frame: the transport holds the rest and
 * counts the frame sent; the queue stops the same way until the rest is
 * out (tx_held), since no next frame may come to push it (TCP waits for
 * the ACK of exactly that data).  A
 * transport whose fd cannot raise SIGIO (an epoll set, as slip's) is polled
 * every tick instead.
 */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/inetdevice.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <init.h>
#include <irq_kern.h>
#include "../mconsole_kern.h"
#include "umlnet_user.h"

#define DRV_NAME	"umlnet"
#define UMLNET_SLACK	(ETH_HLEN + 12)	/* header + VLAN/MPLS, as legacy: 26 */
#define UMLNET_MAX_MTU	(9216 - UMLNET_SLACK)
#define UMLNET_BOOT_MAX	32

struct umlnet {
	struct list_head list;
	struct net_device *dev;
	struct napi_struct napi;
	void *tp;
	int fd;			/* the transport's input fd */
	int wfd;		/* writable when a blocked send can go on */
	int index;
	int rx_irq;		/* -1 while down */
	int tx_irq;
	spinlock_t tx_lock;	/* tx_pending, tx_held, the transport's send side */
	struct sk_buff *tx_pending;
	bool tx_held;		/* the transport holds the rest of a sent frame */
	struct timer_list tx_timer;
	struct timer_list poll_timer;	/* fds that cannot raise SIGIO */
	bool poll;
	struct work_struct down_work;
	bool dead;		/* the peer went away: stay down */
	struct umlnet_info info;
	struct sk_buff *rx_skb[UMLNET_BATCH];
	char spec[UMLNET_SPEC_MAX];
};

static LIST_HEAD(umlnet_devices);
static DEFINE_MUTEX(umlnet_mutex);	/* the device list, umlnet_user_open */

static struct {
	int index;
	char *spec;
} umlnet_boot[UMLNET_BOOT_MAX];
static int umlnet_boot_n;

static struct umlnet *umlnet_find(int index)
{
	struct umlnet *un;

	list_for_each_entry(un, &umlnet_devices, list)
		if (un->index == index)
			return un;
	return NULL;
}

/* ---- receive ---- */

static unsigned int umlnet_rx_refill(struct umlnet *un)
{
	unsigned int i, size = un->dev->mtu + UMLNET_SLACK;

	for (i = 0; i < UMLNET_BATCH; i++) {
		if (un->rx_skb[i] && skb_tailroom(un->rx_skb[i]) < size) {
			dev_kfree_skb_any(un->rx_skb[i]);	/* MTU grew */
			un->rx_skb[i] = NULL;
		}
		if (!un->rx_skb[i])
			un->rx_skb[i] = netdev_alloc_skb_ip_align(un->dev, size);
		if (!un->rx_skb[i])
			break;
	}
	return i;
}

static void umlnet_down_work(struct work_struct *work)
{
	struct umlnet *un = container_of(work, struct umlnet, down_work);

	rtnl_lock();
	dev_close(un->dev);
	rtnl_unlock();
}

static void umlnet_rx_error(struct umlnet *un, int err)
{
	un->dev->stats.rx_errors++;
	if (err == -ECONNRESET || err == -EPIPE || err == -ENOTCONN ||
	    err == -ECONNREFUSED || err == -EBADF) {
		if (!un->dead) {
			netdev_err(un->dev, "read returned %d, shutting it down\n",
				   err);
			un->dead = true;
			schedule_work(&un->down_work);
		}
		return;
	}
	if (net_ratelimit())
		netdev_warn(un->dev, "receive: %d\n", err);
}

static int umlnet_rx_batch(struct umlnet *un, unsigned int n)
{
	void *bufs[UMLNET_BATCH];
	unsigned int caps[UMLNET_BATCH], lens[UMLNET_BATCH];
	struct net_device *dev = un->dev;
	struct sk_buff *skb;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		bufs[i] = un->rx_skb[i]->data;
		caps[i] = skb_tailroom(un->rx_skb[i]);
	}
	ret = umlnet_user_recv(un->tp, bufs, caps, lens, n);
	if (ret < 0) {
		umlnet_rx_error(un, ret);
		return ret;
	}
	for (i = 0; i < (unsigned int)ret; i++) {
		if (lens[i] > caps[i] || lens[i] < ETH_HLEN) {
			dev->stats.rx_length_errors++;
			dev->stats.rx_errors++;
			continue;	/* the buffer stays in the ring */
		}
		skb = un->rx_skb[i];
		un->rx_skb[i] = NULL;
		skb_put(skb, lens[i]);
		skb->protocol = eth_type_trans(skb, dev);
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += lens[i];
		napi_gro_receive(&un->napi, skb);
	}
	return ret;
}

static int umlnet_poll(struct napi_struct *napi, int budget)
{
	struct umlnet *un = container_of(napi, struct umlnet, napi);
	unsigned int n;
	int done = 0, ret;

	while (done < budget && !un->dead) {
		n = umlnet_rx_refill(un);
		n = min_t(unsigned int, n, budget - done);
		if (!n)
			break;	/* out of memory: the next IRQ retries */
		ret = umlnet_rx_batch(un, n);
		if (ret <= 0)
			break;
		done += ret;
		if ((unsigned int)ret < n)
			break;
	}
	if (done < budget)
		napi_complete_done(napi, done);
	return done;
}

static irqreturn_t umlnet_rx_irq(int irq, void *dev_id)
{
	struct umlnet *un = netdev_priv(dev_id);

	if (un->rx_irq < 0)
		return IRQ_NONE;
	napi_schedule(&un->napi);
	return IRQ_HANDLED;
}

/* ---- transmit ---- */

static void umlnet_tx_error(struct net_device *dev, int err)
{
	dev->stats.tx_errors++;
	if (net_ratelimit())
		netdev_warn(dev, "send: %d\n", err);
}

static void umlnet_tx_done(struct net_device *dev, struct sk_buff *skb,
			   int ret)
{
	if (ret > 0) {
		dev->stats.tx_packets++;
		dev->stats.tx_bytes += skb->len;
		dev_consume_skb_any(skb);
		return;
	}
	umlnet_tx_error(dev, ret);
	dev_kfree_skb_any(skb);
}

/*
 * Send @skb, tx_lock held.  Return: true when it is gone, false when the
 * device must wait for room: the frame is kept (tx_pending) or the
 * transport holds part of it (tx_held).
 */
static bool umlnet_tx_send(struct umlnet *un, struct sk_buff *skb)
{
	int ret = umlnet_user_send(un->tp, skb->data, skb->len);

	if (ret == 0) {
		un->tx_pending = skb;
		return false;
	}
	umlnet_tx_done(un->dev, skb, ret);
	/* the rest must go now: the next frame may never come */
	if (ret > 0 && umlnet_user_finish(un->tp) == 0) {
		un->tx_held = true;
		return false;
	}
	return true;
}

/* Finish the held rest, retry the kept frame; wake the queue when done. */
static void umlnet_tx_retry(struct umlnet *un)
{
	struct sk_buff *skb;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&un->tx_lock, flags);
	if (un->tx_held) {
		ret = umlnet_user_finish(un->tp);
		if (ret == 0)
			goto wait;
		un->tx_held = false;
		if (ret < 0)
			umlnet_tx_error(un->dev, ret);
	}
	skb = un->tx_pending;
	un->tx_pending = NULL;
	if (skb && !umlnet_tx_send(un, skb))
		goto wait;
	spin_unlock_irqrestore(&un->tx_lock, flags);
	if (netif_queue_stopped(un->dev) && netif_running(un->dev))
		netif_wake_queue(un->dev);
	return;
wait:
	mod_timer(&un->tx_timer, jiffies + 1);
	spin_unlock_irqrestore(&un->tx_lock, flags);
}

/* Whether transmit waits for room (a kept frame or a held rest). */
static bool umlnet_tx_waiting(struct umlnet *un)
{
	return READ_ONCE(un->tx_pending) || READ_ONCE(un->tx_held);
}

static irqreturn_t umlnet_tx_irq(int irq, void *dev_id)
{
	struct umlnet *un = netdev_priv(dev_id);

	if (un->tx_irq < 0)
		return IRQ_NONE;
	if (umlnet_tx_waiting(un))
		umlnet_tx_retry(un);
	return IRQ_HANDLED;
}

static void umlnet_tx_timer(struct timer_list *t)
{
	struct umlnet *un = from_timer(un, t, tx_timer);

	umlnet_tx_retry(un);
}

/* For a transport whose fd cannot signal: look at it every tick while up. */
static void umlnet_poll_timer(struct timer_list *t)
{
	struct umlnet *un = from_timer(un, t, poll_timer);

	if (un->rx_irq < 0)
		return;
	napi_schedule(&un->napi);
	if (umlnet_tx_waiting(un))
		umlnet_tx_retry(un);
	mod_timer(&un->poll_timer, jiffies + 1);
}

static netdev_tx_t umlnet_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct umlnet *un = netdev_priv(dev);
	unsigned long flags;

	if (skb_linearize(skb)) {
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	spin_lock_irqsave(&un->tx_lock, flags);
	if (!umlnet_tx_send(un, skb)) {
		/* Full: stop, retry when writable. */
		netif_stop_queue(dev);
		mod_timer(&un->tx_timer, jiffies + 1);
	}
	spin_unlock_irqrestore(&un->tx_lock, flags);
	return NETDEV_TX_OK;
}

/* ---- open/stop ---- */

static void umlnet_free_irqs(struct umlnet *un)
{
	int irq;

	if (un->rx_irq >= 0) {
		irq = un->rx_irq;
		un->rx_irq = -1;
		um_free_irq(irq, un->dev);
	}
	if (un->tx_irq >= 0) {
		irq = un->tx_irq;
		un->tx_irq = -1;
		um_free_irq(irq, un->dev);
	}
}

static int umlnet_open(struct net_device *dev)
{
	struct umlnet *un = netdev_priv(dev);
	int irq;

	if (un->dead) {
		netdev_err(dev, "the transport's peer is gone; remove and re-add the device\n");
		return -ENOTCONN;
	}
	irq = um_request_irq(UM_IRQ_ALLOC, un->fd, IRQ_READ, umlnet_rx_irq,
			     IRQF_SHARED, dev->name, dev);
	if (irq < 0)
		goto fail;
	un->rx_irq = irq;
	irq = um_request_irq(UM_IRQ_ALLOC, un->wfd, IRQ_WRITE, umlnet_tx_irq,
			     IRQF_SHARED, dev->name, dev);
	if (irq < 0)
		goto fail;
	un->tx_irq = irq;
	napi_enable(&un->napi);
	netif_start_queue(dev);
	napi_schedule(&un->napi);	/* what arrived while down */
	if (un->poll)
		mod_timer(&un->poll_timer, jiffies + 1);
	return 0;
fail:
	netdev_err(dev, "um_request_irq: %d\n", irq);
	umlnet_free_irqs(un);
	return irq;
}

static int umlnet_stop(struct net_device *dev)
{
	struct umlnet *un = netdev_priv(dev);
	unsigned long flags;
	unsigned int i;

	netif_stop_queue(dev);
	umlnet_free_irqs(un);
	del_timer_sync(&un->poll_timer);
	napi_disable(&un->napi);
	del_timer_sync(&un->tx_timer);
	spin_lock_irqsave(&un->tx_lock, flags);
	if (un->tx_pending) {
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(un->tx_pending);
		un->tx_pending = NULL;
	}
	/* a held rest stays in the transport: the next send writes it first */
	un->tx_held = false;
	spin_unlock_irqrestore(&un->tx_lock, flags);
	for (i = 0; i < UMLNET_BATCH; i++) {
		dev_kfree_skb_any(un->rx_skb[i]);
		un->rx_skb[i] = NULL;
	}
	return 0;
}

static int umlnet_change_mtu(struct net_device *dev, int mtu)
{
	dev->mtu = mtu;		/* the rx ring regrows on its next refill */
	return 0;
}

static void umlnet_tx_timeout(struct net_device *dev, unsigned int txqueue)
{
	struct umlnet *un = netdev_priv(dev);

	dev->stats.tx_errors++;
	umlnet_tx_retry(un);
}

static const struct net_device_ops umlnet_netdev_ops = {
	.ndo_open		= umlnet_open,
	.ndo_stop		= umlnet_stop,
	.ndo_start_xmit		= umlnet_xmit,
	.ndo_change_mtu		= umlnet_change_mtu,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_tx_timeout		= umlnet_tx_timeout,
};

static void umlnet_get_drvinfo(struct net_device *dev,
			       struct ethtool_drvinfo *info)
{
	struct umlnet *un = netdev_priv(dev);

	strscpy(info->driver, DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, un->info.transport, sizeof(info->bus_info));
}

static const struct ethtool_ops umlnet_ethtool_ops = {
	.get_drvinfo	= umlnet_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

/* ---- create/remove ---- */

static void umlnet_set_mac(struct umlnet *un)
{
	struct net_device *dev = un->dev;
	const u8 *mac = un->info.mac;

	if (!un->info.mac_set) {
		pr_info("Choosing a random ethernet address for device eth%d\n",
			un->index);
		eth_hw_addr_random(dev);
		return;
	}
	if (is_multicast_ether_addr(mac)) {
		pr_err("eth%d: Attempt to assign a multicast ethernet address to a device disallowed; using a random one\n",
		       un->index);
		eth_hw_addr_random(dev);
	} else if (!is_valid_ether_addr(mac)) {
		pr_err("eth%d: Attempt to assign an invalid ethernet address to a device disallowed; using a random one\n",
		       un->index);
		eth_hw_addr_random(dev);
	} else {
		if (!(mac[0] & 0x02))
			pr_warn("eth%d: Warning: Assigning a globally valid ethernet address to a device\n",
				un->index);
		eth_hw_addr_set(dev, mac);
	}
}

/* Called with umlnet_mutex held.  @err gets the reason on failure. */
static int umlnet_create(int index, const char *spec, char *err, int errlen)
{
	struct net_device *dev;
	struct umlnet *un;
	int ret;

	if (umlnet_find(index)) {
		snprintf(err, errlen, "Device already configured");
		return -EEXIST;
	}
	if (strlen(spec) >= UMLNET_SPEC_MAX) {
		snprintf(err, errlen, "specification too long");
		return -ENAMETOOLONG;
	}
	dev = alloc_etherdev(sizeof(*un));
	if (!dev) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(dev->name, IFNAMSIZ, "eth%d", index);
	un = netdev_priv(dev);
	un->dev = dev;
	un->index = index;
	un->rx_irq = -1;
	un->tx_irq = -1;
	strscpy(un->spec, spec, sizeof(un->spec));
	spin_lock_init(&un->tx_lock);
	timer_setup(&un->tx_timer, umlnet_tx_timer, 0);
	timer_setup(&un->poll_timer, umlnet_poll_timer, 0);
	INIT_WORK(&un->down_work, umlnet_down_work);

	ret = umlnet_user_open(spec, &un->tp, &un->info, err, errlen);
	if (ret) {
		free_netdev(dev);
		return ret;
	}
	un->fd = umlnet_user_fd(un->tp);
	un->wfd = umlnet_user_wfd(un->tp);
	un->poll = !umlnet_user_fd_signals(un->fd);
	umlnet_set_mac(un);

	dev->netdev_ops = &umlnet_netdev_ops;
	dev->ethtool_ops = &umlnet_ethtool_ops;
	dev->watchdog_timeo = 5 * HZ;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = UMLNET_MAX_MTU;
	netif_napi_add(dev, &un->napi, umlnet_poll);

	ret = register_netdev(dev);
	if (ret) {
		snprintf(err, errlen, "register_netdev: %d", ret);
		umlnet_user_close(un->tp);
		free_netdev(dev);
		return ret;
	}
	list_add_tail(&un->list, &umlnet_devices);
	pr_info("Netdevice %d (%pM) : umlnet %s backend - %s%s%s\n", index,
		dev->dev_addr, un->info.transport, spec,
		!un->info.helper_dev[0] ? "" :
		!strcmp(un->info.transport, "slip") ?
		", SLIP relay - host device " : ", TUN/TAP backend - host tap ",
		un->info.helper_dev);
	return 0;
}

/* Called with umlnet_mutex held. */
static int umlnet_remove(int index, char **error_out)
{
	struct umlnet *un = umlnet_find(index);
	struct net_device *dev;

	if (!un)
		return -ENODEV;
	dev = un->dev;
	if (netif_running(dev)) {
		*error_out = "Device is currently open (bring it down first)";
		return -EBUSY;
	}
	list_del(&un->list);
	unregister_netdev(dev);
	cancel_work_sync(&un->down_work);
	umlnet_user_close(un->tp);
	pr_info("eth%d: removed\n", index);
	free_netdev(dev);
	return 0;
}

/* "N=spec" (boot and mconsole): the device number, base auto-detected. */
static int umlnet_parse_index(char *str, char **spec, const char **why)
{
	unsigned long n;
	char *end;

	n = simple_strtoul(str, &end, 0);
	if (end == str) {
		*why = "Expected a device number after 'eth'";
		return -EINVAL;
	}
	if (*end != '=') {
		*why = "Expected '=' after device number";
		return -EINVAL;
	}
	if (n > INT_MAX / 2) {
		*why = "Device number too large";
		return -EINVAL;
	}
	*spec = end + 1;
	return n;
}

/* ---- boot command line ---- */

static int __init umlnet_setup(char *str)
{
	const char *why;
	char *spec;
	int n;

	n = umlnet_parse_index(str, &spec, &why);
	if (n < 0) {
		pr_err("eth_setup - Couldn't parse 'eth%s' : %s\n", str, why);
		return 1;
	}
	if (umlnet_boot_n == UMLNET_BOOT_MAX) {
		pr_err("eth%d: more than %d devices on the command line; ignored\n",
		       n, UMLNET_BOOT_MAX);
		return 1;
	}
	umlnet_boot[umlnet_boot_n].index = n;
	umlnet_boot[umlnet_boot_n].spec = spec;
	umlnet_boot_n++;
	return 1;
}
__setup("eth", umlnet_setup);
__uml_help(umlnet_setup,
"eth[0-9]+=<transport>,<options>\n"
"    Configure a network device (umlnet).  Transports, legacy grammar:\n"
"      daemon[,MAC[,unix[,CTL]]]        uml_switch or vde_switch\n"
"      tuntap[,DEV[,MAC[,GATE]]]        a host tap device\n"
"      mcast[,MAC[,GROUP[,PORT[,TTL]]]] UDP multicast\n"
"      ucast[,MAC[,REMOTE[,LPORT[,RPORT]]]]\n"
"      slirp[,MAC[,HELPER[,ARGS]]]      user-mode NAT through uml_slirp\n"
"      pcap[,HOSTIF[,FILTER[,OPT1[,OPT2[,MAC]]]]]\n"
"      slip[,GATE]\n"
"    or keyed: <transport>:key=value,..., e.g.\n"
"      vxlan:vni=N,remote=ADDR[+ADDR...] or vxlan:vni=N,group=GROUP[,if=DEV]\n"
"                                       VXLAN (RFC 7348) over UDP\n\n"
);

/* ---- uml_net helper mode: host routes follow the guest's addresses ---- */

static int umlnet_inetaddr_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev ? ifa->ifa_dev->dev : NULL;
	char addr[16], mask[16];
	struct umlnet *un;

	if (!dev || dev->netdev_ops != &umlnet_netdev_ops)
		return NOTIFY_DONE;
	if (event != NETDEV_UP && event != NETDEV_DOWN)
		return NOTIFY_DONE;
	un = netdev_priv(dev);
	if (!un->info.helper_dev[0] || !un->tp)
		return NOTIFY_DONE;
	snprintf(addr, sizeof(addr), "%pI4", &ifa->ifa_address);
	snprintf(mask, sizeof(mask), "%pI4", &ifa->ifa_mask);
	umlnet_user_helper_addr(un->info.helper_dev, event == NETDEV_UP,
				addr, mask);
	return NOTIFY_DONE;
}

static struct notifier_block umlnet_inetaddr_nb = {
	.notifier_call = umlnet_inetaddr_event,
};

/* ---- mconsole ---- */

static char umlnet_mc_err[UMLNET_ERR_MAX + 32];

static int umlnet_mc_config(char *str, char **error_out)
{
	const char *why;
	char *spec;
	int n, ret;

	n = umlnet_parse_index(str, &spec, &why);
	if (n < 0) {
		*error_out = (char *)why;
		return n;
	}
	mutex_lock(&umlnet_mutex);
	ret = umlnet_create(n, spec, umlnet_mc_err, sizeof(umlnet_mc_err));
	if (ret) {
		pr_err("eth%d: %s\n", n, umlnet_mc_err);
		*error_out = umlnet_mc_err;
	}
	mutex_unlock(&umlnet_mutex);
	return ret;
}

static int umlnet_mc_get_config(char *name, char *str, int size,
				char **error_out)
{
	struct umlnet *un;
	unsigned long n;
	char *end;
	int len = 0;

	n = simple_strtoul(name, &end, 0);
	if (end == name || *end) {
		*error_out = "umlnet: bad device number";
		return 0;
	}
	mutex_lock(&umlnet_mutex);
	un = n <= INT_MAX ? umlnet_find(n) : NULL;
	if (!un)
		*error_out = "umlnet: no such device";
	else
		CONFIG_CHUNK(str, size, len, un->spec, 1);
	mutex_unlock(&umlnet_mutex);
	return len;
}

static int umlnet_mc_id(char **str, int *start_out, int *end_out)
{
	unsigned long n;
	char *end;

	n = simple_strtoul(*str, &end, 0);
	if (*end || end == *str || n > INT_MAX)
		return -1;
	*start_out = n;
	*end_out = n;
	*str = end;
	return n;
}

static int umlnet_mc_remove(int n, char **error_out)
{
	int ret;

	mutex_lock(&umlnet_mutex);
	ret = umlnet_remove(n, error_out);
	mutex_unlock(&umlnet_mutex);
	return ret;
}

static struct mc_device umlnet_mc = {
	.list		= LIST_HEAD_INIT(umlnet_mc.list),
	.name		= "eth",
	.config		= umlnet_mc_config,
	.get_config	= umlnet_mc_get_config,
	.id		= umlnet_mc_id,
	.remove		= umlnet_mc_remove,
};

static int __init umlnet_init(void)
{
	char err[UMLNET_ERR_MAX + 32];
	int i;

	mutex_lock(&umlnet_mutex);
	for (i = 0; i < umlnet_boot_n; i++)
		if (umlnet_create(umlnet_boot[i].index, umlnet_boot[i].spec,
				  err, sizeof(err)))
			pr_err("eth%d: %s; no device\n", umlnet_boot[i].index,
			       err);
	mutex_unlock(&umlnet_mutex);
	mconsole_register_dev(&umlnet_mc);
	register_inetaddr_notifier(&umlnet_inetaddr_nb);
	return 0;
}
late_initcall(umlnet_init);

/* At UML exit: close every transport (sockets, helpers). */
static void umlnet_exit(void)
{
	struct umlnet *un;

	list_for_each_entry(un, &umlnet_devices, list) {
		umlnet_user_close(un->tp);
		un->tp = NULL;
	}
}
__uml_exitcall(umlnet_exit);
