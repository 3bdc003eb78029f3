// Lets a busy node accept more than one new connection per event-loop turn. Since libuv 1.45
// (Node 20) a listening descriptor accepts one connection each time it polls ready (libuv PR
// #3696), so a node whose turns take 20 ms accepts about 50 a second, and a room's first taps or
// a join storm queue for seconds before the node reads them (docs/benchmarks/room.md, "The accept
// queue"). Each extra descriptor of the same listening socket is polled on its own, so with N of
// them a turn accepts up to N. Node 22 has `reusePort` for this; Node 20 gets the descriptors by
// passing the socket through a child process and back, which is what SCM_RIGHTS does: a new
// descriptor for the same socket each time.
import { spawn, type ChildProcess } from "node:child_process";
import { Server as NetServer, type Server } from "node:net";

/** Descriptors the node accepts from: the most new connections one busy turn takes in. */
export const ACCEPT_LANES = 16;

/**
 * The child sends each socket back and closes its own copy; it exits when the node goes away, so
 * that a node killed while opening its lanes leaves no process holding its port.
 */
const ECHO = [
  "process.on('message', (message, handle) => process.send(message, handle, () => handle.close()));",
  "process.on('disconnect', () => process.exit(0));",
].join(" ");
const ECHO_TIMEOUT_MS = 5000;

function echoedServer(child: ChildProcess, server: Server): Promise<NetServer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error("no answer from the child in 5 s")), ECHO_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      child.off("message", answered).off("exit", exited).off("error", fail);
    };
    function answered(_message: unknown, handle: unknown) {
      done();
      if (handle instanceof NetServer) resolve(handle);
      else reject(new Error("the child answered without the listening socket"));
    }
    function exited(code: number | null) {
      fail(new Error(`the child exited (${code ?? "signal"})`));
    }
    function fail(error: Error) {
      done();
      reject(error);
    }
    child.on("message", answered).once("exit", exited).once("error", fail);
    child.send("lane", server);
  });
}

/**
 * Opens `lanes - 1` more descriptors of `server`'s listening socket, each handing its connections
 * to `server` (an HTTP server serves a socket emitted as `connection` like one it accepted).
 * Returns what stops them accepting. Each lane listens again with `backlog`, since passing the
 * socket listens with Node's default of 511, and the socket has one backlog for all of them.
 */
export async function openAcceptLanes(server: Server, backlog: number, lanes = ACCEPT_LANES): Promise<() => void> {
  if (lanes <= 1) return () => {};
  // Not the node's environment: the child must not inherit NODE_OPTIONS (an inspector port, a loader).
  const env = { NODE_ENV: process.env.NODE_ENV };
  const child = spawn(process.execPath, ["-e", ECHO], { stdio: ["ignore", "ignore", "inherit", "ipc"], env });
  const opened: NetServer[] = [];
  const close = () => opened.forEach((lane) => lane.close());
  try {
    for (let index = 1; index < lanes; index++) {
      const carrier = await echoedServer(child, server);
      const lane = new NetServer((socket) => server.emit("connection", socket));
      lane.listen(carrier, backlog);
      opened.push(lane);
    }
  } catch (error) {
    close();
    throw error;
  } finally {
    child.kill();
  }
  return close;
}
