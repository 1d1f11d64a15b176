/** A backup or restore that cannot go on, with a message for the administrator (the CLI prints it as one line). */
export class BackupError extends Error {
  constructor(
    readonly code:
      | 'NO_PASSPHRASE'
      | 'NOT_AN_ARCHIVE'
      | 'ARCHIVE_DAMAGED'
      | 'ARCHIVE_TOO_NEW'
      | 'ARCHIVE_TOO_LARGE'
      | 'WRONG_PASSPHRASE'
      | 'TARGET_NOT_EMPTY'
      | 'DATA_DIR_IN_USE'
      | 'DATABASE_MISMATCH'
      | 'PG_TOOLS',
    message: string,
  ) {
    super(message)
    this.name = 'BackupError'
  }
}

/** The passphrase rule shared by the CLI and the daily job: present, and long enough to resist guessing offline. */
export function requirePassphrase(value: string | undefined): string {
  if (!value) {
    throw new BackupError(
      'NO_PASSPHRASE',
      'BACKUP_PASSPHRASE is not set: backups are always encrypted; set it (at least 12 characters) and keep it apart from the backups',
    )
  }
  if (value.length < 12) throw new BackupError('NO_PASSPHRASE', 'BACKUP_PASSPHRASE must be at least 12 characters')
  return value
}
