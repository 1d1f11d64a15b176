import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

/**
 * Debian's nginx (`apt-get install -y --no-install-recommends nginx`; .ci/run installs it) as a child process of
 * the test or benchmark: its own config in a temp dir, a non-root port on 127.0.0.1, no daemon, no system files.
 * The proxy settings are the ones deploy/nginx/nginx.conf uses in docker-compose (kept in step by hand).
 */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx'
export const nginxMissing = !existsSync(NGINX) && process.env.CI !== 'true'

export interface NginxOptions {
  /** 127.0.0.1 ports of the API processes, balanced round-robin. */
  upstreams: number[]
  port: number
  /** PEM files: the server listens with TLS (HTTP/1.1) when given. */
  tls?: { cert: string; key: string }
}

export interface Nginx {
  child: ChildProcess
  dir: string
  stderr: () => string
  stop(): Promise<void>
}

function config(dir: string, { upstreams, port, tls }: NginxOptions): string {
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n')
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # Three photos of up to 10 MB each, and the form around them (the API has its own limits).
  client_max_body_size 40m;
  upstream api {
${servers}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port}${tls ? ' ssl' : ''};
${tls ? `    ssl_certificate ${tls.cert};\n    ssl_certificate_key ${tls.key};\n    ssl_protocols TLSv1.2 TLSv1.3;\n` : ''}
    location / {
      proxy_pass http://api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      # The API trusts these (TRUST_PROXY=true): the resident's address for rate limits, https for HSTS.
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # Live streams (SSE) pass through as they are written; request bodies stream to the API.
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 1h;
      # A dead API process: connection errors go to the next one. Never a POST that may have reached it
      # (nginx's default: non-idempotent requests are not retried), so a submission is never made twice here.
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }
  }
}
`
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

/** Writes the config, checks it with `nginx -t`, starts nginx in the foreground and waits until it listens. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const dir = await mkdtemp(path.join(tmpdir(), 'msj-nginx-'))
  await mkdir(path.join(dir, 'body'))
  const file = path.join(dir, 'nginx.conf')
  await writeFile(file, config(dir, options))
  // -e: nginx opens its compiled-in error log (/var/log/nginx, root only) before reading the config otherwise.
  const args = ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', file]
  await promisify(execFile)(NGINX, [...args, '-t', '-q'])
  const child = spawn(NGINX, [...args, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
  let exited = false
  child.once('exit', () => (exited = true))
  const deadline = Date.now() + 15_000
  while (!(await listening(options.port))) {
    if (exited || Date.now() > deadline) throw new Error(`nginx did not start: ${err}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    child,
    dir,
    stderr: () => err,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r))
        child.kill('SIGQUIT') // graceful: finish open requests
        await gone
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A self-signed certificate for `127.0.0.1` and `localhost` from the openssl CLI; answers the PEM paths. */
export async function selfSignedCert(dir: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, 'cert.pem')
  const key = path.join(dir, 'key.pem')
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ])
  return { cert, key }
}
