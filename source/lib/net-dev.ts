// Bytes this machine received, from /proc/net/dev: the host-side counter behind the download estimate when the
// build's own container counts nothing (the docker driver, or host networking). Docker's own virtual interfaces
// (docker0, br-*, veth*) are left out: what a container on a bridge receives already arrived on a real interface.
const virtualInterface = /^(docker\d*|br-[0-9a-f]+|veth[0-9a-f]*)$/;

/** Sum of received bytes over the interfaces of a /proc/net/dev text; undefined when none could be read. */
export function receivedBytes(procNetDev: string): number | undefined {
	let total: number | undefined;
	for (const line of procNetDev.split('\n')) {
		const colon = line.indexOf(':');
		if (colon === -1) continue;
		const name = line.slice(0, colon).trim();
		if (name === '' || virtualInterface.test(name)) continue;
		const rx = Number(line.slice(colon + 1).trim().split(/\s+/)[0]);
		if (Number.isFinite(rx)) total = (total ?? 0) + rx;
	}
	return total;
}
