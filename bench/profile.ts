import { readFileSync } from 'node:fs';

// Summarises a V8 CPU profile (node --cpu-prof, e.g. `npm run bench -- W3 --cpu-prof .tmp/prof`):
// self time by function and by package, the biggest first.
//
//   node -r @swc-node/register bench/profile.ts .tmp/prof/CPU.….cpuprofile [top]

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> (scoped too), the project's own folder, or node's internals. */
function packageOf(url: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:') || url === '') return url === '' ? '(native / gc / idle)' : 'node internals';
  const own = /\/(src|bench|tests)\/([^/]+)/.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

function main(): void {
  const [file, topRaw] = process.argv.slice(2);
  if (!file) throw new Error('usage: bench/profile.ts <file.cpuprofile> [top]');
  const top = Number(topRaw ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = ['(idle)', '(program)', '(garbage collector)'].includes(functionName)
      ? functionName
      : `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '')}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const pkg = functionName.startsWith('(') ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const print = (title: string, map: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
      );
    }
  };
  // Inclusive time of the project's own functions: what each of them cost, callees included.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at)!.callFrame;
      const own = /\/(src|bench)\/(.*)$/.exec(url);
      if (!own) continue;
      const name = `${functionName || '(anonymous)'} ${own[1]}/${own[2]}:${lineNumber + 1}`;
      if (seen.has(name)) continue; // recursion counts once
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`);
  print('self time by package', byPackage);
  print('self time by function', byFunction);
  print("the project's functions, callees included", inclusive);
}

main();
