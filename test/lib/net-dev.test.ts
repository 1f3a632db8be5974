import {existsSync, readdirSync, readFileSync} from 'node:fs';
import net from 'node:net';
import {expect, test} from 'vitest';
import {receivedBytes} from '../../source/lib/net-dev.js';

test('receivedBytes sums rx over real interfaces and leaves out docker bridges and veths (synthetic /proc/net/dev)', () => {
	const text = [
		'Inter-|   Receive                                                |  Transmit',
		' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
		'    lo: 1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0',
		'  eth0: 250000    200    0    0    0     0          0         0     9000      90    0    0    0     0       0          0',
		'docker0: 7777     7    0    0    0     0          0         0     0      0    0    0    0     0       0          0',
		'vethab12cd: 5555  5    0    0    0     0          0         0     0      0    0    0    0     0       0          0',
		'br-0123abcd: 3333 3    0    0    0     0          0         0     0      0    0    0    0     0       0          0',
	].join('\n');
	expect(receivedBytes(text)).toBe(251000);
	expect(receivedBytes('no interfaces here')).toBeUndefined();
});

// The real counters of this machine: /proc/net/dev read twice around an independent reading of the same counters
// (sysfs), and around traffic this test makes on loopback (lo is a real interface here: only docker's are left out).
const procTotal = () => receivedBytes(readFileSync('/proc/net/dev', 'utf8'))!;
const sysfsTotal = () =>
	readdirSync('/sys/class/net')
		.filter(name => !/^(docker\d*|br-[0-9a-f]+|veth[0-9a-f]*)$/.test(name))
		.reduce((sum, name) => sum + Number(readFileSync(`/sys/class/net/${name}/statistics/rx_bytes`, 'utf8')), 0);

test.skipIf(!existsSync('/sys/class/net'))("this machine's /proc/net/dev: the kernel's rx counters, summed", () => {
	// counters only grow, so a correct sum read between two /proc reads lies between them
	const before = procTotal();
	const sysfs = sysfsTotal();
	const after = procTotal();
	expect(before).toBeGreaterThan(0);
	expect(sysfs).toBeGreaterThanOrEqual(before);
	expect(sysfs).toBeLessThanOrEqual(after);
});

test('bytes sent over loopback show up in the sum', async () => {
	const payload = Buffer.alloc(4_000_000, 'x');
	const server = net.createServer();
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	const received = new Promise<number>(resolve => {
		server.on('connection', socket => {
			let bytes = 0;
			socket.on('data', chunk => (bytes += chunk.length));
			socket.on('end', () => resolve(bytes));
		});
	});
	const before = procTotal();
	const client = net.connect(port, '127.0.0.1', () => client.end(payload));
	expect(await received).toBe(payload.length);
	const after = procTotal();
	server.close();
	// other processes may use loopback at the same time, so the growth is at least what this test sent
	expect(after - before).toBeGreaterThanOrEqual(payload.length);
});
