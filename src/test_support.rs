//! Helpers for unit tests that compare a hand-written reader with the reference it replaced.

/// `count` texts, each of 1 to `max_pieces` pieces picked from `pieces` by a fixed xorshift
/// sequence from `seed` (the same texts on every run).
pub fn generated_texts<'a>(seed: u64, pieces: &'a [&'a str], max_pieces: u64, count: usize) -> impl Iterator<Item = String> + 'a {
    let mut state = seed.max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count).map(move |_| {
        let n = next() % max_pieces.max(1);
        (0..n).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect()
    })
}

/// A hand-written reader `got` gives `want`'s answer on every text of `texts` (the text is named
/// when one differs); returns on how many texts the answer was a find (`found`), so a test can
/// assert that finds were compared and not only misses.
pub fn agree_on<T: PartialEq + std::fmt::Debug>(
    texts: impl Iterator<Item = String>,
    want: impl Fn(&str) -> T,
    got: impl Fn(&str) -> T,
    found: impl Fn(&T) -> bool,
) -> usize {
    let mut finds = 0;
    for text in texts {
        let answer = got(&text);
        assert_eq!(answer, want(&text), "{text:?}");
        finds += usize::from(found(&answer));
    }
    finds
}

/// Every text of at most `max_pieces` pieces from `pieces` (the empty one included) no longer
/// than `max_bytes`, each once, sorted: for comparing a reader with its reference exhaustively on
/// a small grammar.
pub fn every_text(pieces: &[&str], max_pieces: usize, max_bytes: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = all.clone();
    for _ in 0..max_pieces {
        last = last.iter().flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}"))).filter(|t| t.len() <= max_bytes).collect();
        all.extend(last.iter().cloned());
    }
    all.sort();
    all.dedup();
    all
}
