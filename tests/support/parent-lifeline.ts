// Preloaded into every node a test starts (tests/support/server.ts): the node ends once the
// process that started it is gone, even when that process was killed and never stopped it. Its
// stdin is a pipe from that process, which the kernel closes when it dies.
process.stdin.on("end", () => process.kill(process.pid, "SIGTERM"));
process.stdin.resume();
