// console.log on a pipe writes at once: Node needs nothing to be interactive.
const rl = require('readline').createInterface({ input: process.stdin });
let lo = 1, hi = 0, mid = 0, first = true;
rl.on('line', (line) => {
    if (first) { first = false; hi = Number(line); }
    else if (line.startsWith('=')) { rl.close(); return; }
    else if (line.startsWith('+')) lo = mid + 1;
    else hi = mid - 1;
    mid = Math.floor((lo + hi) / 2);
    console.log(mid);
});
