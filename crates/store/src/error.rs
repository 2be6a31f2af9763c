//! The store's error type, and what a storage failure means for the user
//! (a full disk, a read-only database, anything else).

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("erreur de la base de données : {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
    /// The login name is another account's of the same practice (names
    /// are unique per practice: other practices' names are never told).
    #[error("identifiant\u{a0}: un autre compte de votre cabinet porte déjà ce nom")]
    UsernameTaken,
    /// Several practices share the server and the sign-in did not say which.
    #[error("Cabinet\u{a0}: indiquez le numéro de votre cabinet (plusieurs cabinets partagent ce serveur)")]
    PracticeRequired,
    #[error("l’administrateur a déjà été créé")]
    AlreadySetUp,
    #[error("le cabinet doit garder au moins un administrateur actif")]
    LastAdmin,
    #[error("introuvable")]
    NotFound,
    #[error("erreur interne : {0}")]
    Internal(String),
    /// The key is missing, unreadable or not the one this database was written with.
    #[error("{0}")]
    Key(String),
    /// The journal does not verify: nothing is appended on top of it until an
    /// administrator has looked (the message says, in French, what was found).
    #[error("{0}")]
    Tampered(String),
    /// A value does not decrypt: wrong key or damaged data (never shown as garbage).
    #[error("une donnée chiffrée ne peut pas être déchiffrée : mauvaise clé de chiffrement ou donnée endommagée")]
    Crypto,
    /// The hosting operator suspended the practice (`sceau practice suspend`).
    #[error("Ce cabinet est suspendu par l’hébergeur de Sceau : personne ne peut s’y connecter pour l’instant. Contactez votre hébergeur.")]
    Suspended,
    /// The database stopped answering while a write was sent and did not
    /// answer again within the time allowed: the write may or may not be
    /// stored (see `settle.rs`).
    #[error("la base de données n’a pas confirmé l’enregistrement")]
    Unconfirmed,
    /// An API token issued before tokens were signed (schema 14), or whose
    /// row Sceau did not sign: it gives access to nothing. Says what to do,
    /// never the token.
    #[error("Ce jeton d’API date d’avant la protection des jetons par la clé de Sceau, ou sa ligne a été modifiée hors de Sceau : il ne donne plus accès à rien. Un administrateur du cabinet doit créer un nouveau jeton (Administration, « Jetons d’API ») et révoquer celui-ci.")]
    TokenToReplace,
    /// The account's row is not as Sceau signed it (changed without the key,
    /// or written before schema 15 and not attested): it neither signs in
    /// nor acts.
    #[error("Ce compte a été modifié hors de Sceau, ou n’a pas encore été attesté depuis la mise à jour\u{a0}: il ne peut ni se connecter ni agir. L’administrateur du serveur doit vérifier la base, puis l’attester (sceau accounts attest).")]
    AccountAltered,
    /// A stored value does not read (a date that is not one, text where a
    /// number belongs): the row is shown « illisible », never its content.
    #[error("une donnée de la base ne se lit pas")]
    Unreadable,
    /// Too many password checks at once: try again in a moment (429).
    #[error("trop de vérifications de mot de passe en cours")]
    Busy,
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Why the storage refused an operation, as far as the user can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// The disk (or the PostgreSQL server's) is full.
    Full,
    /// The database or its directory is read-only.
    ReadOnly,
    /// Anything else: unreachable server, broken connection, internal error.
    Other,
    /// The connection broke while a write was sent and the database did not
    /// say afterwards whether it was stored: the user must look before
    /// doing it again.
    Unconfirmed,
}

impl StoreError {
    /// The data read is damaged (a value that does not decode or decrypt),
    /// as opposed to a database that does not answer: a page shows what
    /// reads and marks the rest « illisible » rather than failing whole.
    pub fn is_unreadable_data(&self) -> bool {
        match self {
            StoreError::Unreadable | StoreError::Crypto => true,
            StoreError::Db(e) => is_decode_error(e),
            _ => false,
        }
    }

    /// The same failure for another writer of a batch (the error itself
    /// cannot be cloned): a write whose outcome is unknown stays unknown,
    /// a journal that does not verify stays so; anything else keeps its text.
    pub fn for_another_writer(&self) -> StoreError {
        match self {
            StoreError::Unconfirmed => StoreError::Unconfirmed,
            StoreError::Tampered(m) => StoreError::Tampered(m.clone()),
            e => StoreError::Internal(e.to_string()),
        }
    }

    /// The kind of storage failure, from SQLite's result code or
    /// PostgreSQL's SQLSTATE (or the I/O error of a file beside the base).
    pub fn outage(&self) -> Outage {
        match self {
            StoreError::Unconfirmed => Outage::Unconfirmed,
            StoreError::Db(sqlx::Error::Database(d)) => {
                let code = d.code().map(|c| c.to_string()).unwrap_or_default();
                // SQLite: extended result codes, whose low byte is the primary code.
                if let Ok(n) = code.parse::<i64>() {
                    return match n & 0xff {
                        13 => Outage::Full,     // SQLITE_FULL
                        8 => Outage::ReadOnly,  // SQLITE_READONLY
                        14 => Outage::ReadOnly, // SQLITE_CANTOPEN (a journal file on a read-only directory)
                        _ => Outage::Other,
                    };
                }
                match code.as_str() {
                    "53100" => Outage::Full,               // disk_full
                    "25006" | "42501" => Outage::ReadOnly, // read_only_sql_transaction, insufficient_privilege
                    _ => Outage::Other,
                }
            }
            StoreError::Db(sqlx::Error::Io(e)) => io_outage(e),
            StoreError::Internal(m) => {
                // Files beside the base (journal anchors) report their I/O error in text.
                if m.contains("No space left") || m.contains("File too large") {
                    Outage::Full
                } else if m.contains("Read-only file system") {
                    Outage::ReadOnly
                } else {
                    Outage::Other
                }
            }
            _ => Outage::Other,
        }
    }

    /// What to tell the user when the storage refused: what happened, that
    /// nothing was recorded, what to do.
    pub fn outage_fr(&self) -> &'static str {
        match self.outage() {
            Outage::Full => "Le disque du serveur est plein : rien n’a été enregistré. Libérez de la place (ou prévenez la personne qui administre Sceau), puis recommencez.",
            Outage::ReadOnly => "La base de données est en lecture seule : rien n’a été enregistré. La consultation reste possible ; prévenez la personne qui administre Sceau.",
            Outage::Other => "La base de données ne répond pas : rien n’a été enregistré. Réessayez dans un instant.",
            Outage::Unconfirmed => "La base de données a cessé de répondre pendant l’enregistrement et ne l’a pas confirmé depuis : il a peut-être abouti. Vérifiez dans un instant s’il figure dans le registre avant de recommencer, pour ne pas l’enregistrer deux fois.",
        }
    }
}

fn io_outage(e: &std::io::Error) -> Outage {
    match e.raw_os_error() {
        Some(28) | Some(27) => Outage::Full, // ENOSPC, EFBIG
        Some(30) => Outage::ReadOnly,        // EROFS
        _ => Outage::Other,
    }
}

/// A value that no longer reads as its column's type (a re-typed column).
/// On PostgreSQL a connection that prepared the query before the change
/// answers « cached plan must not change result type » (SQLSTATE 0A000)
/// instead: the same tampering, seen from a running server.
pub(crate) fn is_decode_error(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::ColumnDecode { .. }
        | sqlx::Error::Decode(_)
        | sqlx::Error::ColumnNotFound(_)
        | sqlx::Error::TypeNotFound { .. } => true,
        sqlx::Error::Database(d) => {
            d.code().as_deref() == Some("0A000") && d.message().contains("cached plan")
        }
        _ => false,
    }
}
