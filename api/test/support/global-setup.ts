import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { openPostgres, wrapPglite } from '../../src/db/database'
import { migrate } from '../../src/db/migrate'
import { testDatabaseUrl, withDatabaseName } from './test-db-url'

export type TestDbInfo = { kind: 'postgres'; adminUrl: string; template: string } | { kind: 'pglite'; dumpFile: string }

declare module 'vitest' {
  export interface ProvidedContext {
    testDb: TestDbInfo
  }
}

/**
 * Migrates one template database per test run; each test file then gets its own copy (see test-db.ts).
 * PostgreSQL: `CREATE DATABASE … TEMPLATE`. PGlite: a data-dir dump loaded into a fresh in-memory instance.
 */
export default async function setup(project: TestProject) {
  const url = testDatabaseUrl()
  if (url) {
    const template = `msj_tpl_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database ${template}`)
    const database = await openPostgres(withDatabaseName(url, template))
    await migrate(database)
    await database.close()
    project.provide('testDb', { kind: 'postgres', adminUrl: url, template })
    return async () => {
      await admin.query(`drop database if exists ${template} with (force)`)
      await admin.end()
    }
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'msj-test-'))
  const pglite = await PGlite.create()
  await migrate(wrapPglite(pglite))
  const dump = await pglite.dumpDataDir('none')
  await pglite.close()
  const dumpFile = path.join(dir, 'template.tar')
  await writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()))
  project.provide('testDb', { kind: 'pglite', dumpFile })
  return () => rm(dir, { recursive: true, force: true })
}
