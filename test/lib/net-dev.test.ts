import {readFileSync} from 'node:fs';
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

test('this machine\'s /proc/net/dev reads as a number', () => {
	expect(receivedBytes(readFileSync('/proc/net/dev', 'utf8'))).toBeGreaterThanOrEqual(0);
});
