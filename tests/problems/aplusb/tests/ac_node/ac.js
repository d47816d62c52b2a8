const data = require('fs').readFileSync(0, 'utf8').split(/\s+/).filter((s) => s.length);
const t = Number(data[0]);
const out = [];
for (let i = 0; i < t; i++)
    out.push(String(BigInt(data[1 + 2 * i]) + BigInt(data[2 + 2 * i])));
process.stdout.write(out.join('\n') + '\n');
