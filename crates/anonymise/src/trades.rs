//! The heads of firms named after their owner: shops and trades (« la
//! boucherie Martin », « garage Le Goff »). A module of their own because
//! two passes read them: `orgs` (a capitalised owner) and `lower_trades`
//! (all in lower case), and `orgs` calls `lower_trades`.

/// Shops named after their owner, heads written in lower case (« la
/// boucherie Martin »): heads, read as such only before a capitalised name.
pub(crate) const SHOPS: &[&str] = &[
    "boucherie",
    "charcuterie",
    "quincaillerie",
    "epicerie",
    "fromagerie",
    "poissonnerie",
    "librairie",
    "menuiserie",
    // trades of food and craft that firms are named after their owner:
    // « la pâtisserie Le Goff », « la conserverie Riou Frères », « la cave
    // Morel » (the -erie nouns of French shops and workshops)
    "patisserie",
    "chocolaterie",
    "confiserie",
    "biscuiterie",
    "cremerie",
    "conserverie",
    "brasserie",
    "cave",
    "boutique",
    "droguerie",
    "mercerie",
    "bijouterie",
    "cordonnerie",
    "imprimerie",
    "scierie",
    "tonnellerie",
    "laiterie",
    "distillerie",
    "cidrerie",
    "carrosserie",
    "serrurerie",
    "plomberie",
    "ebenisterie",
    "marbrerie",
    "miroiterie",
    "jardinerie",
];

/// A shop's head, or two joined by a dash (« Boulangerie-Pâtisserie »,
/// « Boucherie-Charcuterie »): a shop of both trades.
pub(crate) fn shop(f: &str) -> bool {
    SHOPS.contains(&f)
        || f.contains('-')
            && f.split('-')
                .all(|p| SHOPS.contains(&p) || matches!(p, "boulangerie" | "traiteur"))
}

/// Trades that firms are named after their owner: « boulangerie Martin »,
/// « garage Le Goff », « taxis Riou ».
const TRADES: &[&str] = &[
    "boulangerie",
    "garage",
    "magasin",
    "restaurant",
    "hotel",
    "taxi",
    "taxis",
    "ambulances",
    "ambulance",
    "transports",
    "agence",
    "auto-ecole",
];

/// A trade's or a shop's head (`orgs` and `lower_trades`).
pub(crate) fn trade_head(f: &str) -> bool {
    TRADES.contains(&f) || shop(f)
}
