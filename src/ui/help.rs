//! The help panel: the keys, what the page keeps and where, and the findings catalogue — every
//! finding code with its severity, title, what it means and what to check next, read from
//! `correlate::catalogue::CATALOGUE` (the table `docs/findings.md` and the report use).

use crate::correlate::catalogue::CATALOGUE;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub open: bool,
    pub on_close: Callback<()>,
}

#[function_component(Help)]
pub fn help(p: &HelpProps) -> Html {
    let filter = use_state(String::new);
    let words: Vec<String> = filter.to_lowercase().split_whitespace().map(str::to_string).collect();
    let shown: Vec<_> = CATALOGUE
        .iter()
        .filter(|e| {
            let hay = format!("{} {} {} {} {} {}", e.code, e.area, e.severity, e.title, e.meaning, e.next).to_lowercase();
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    html! {
        <section class="export help" id="help-panel" role="dialog" aria-label="Help" hidden={!p.open}>
            <h3>{ "Help" }<button class="btn small close" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button></h3>
            <p class="dim">
                { "Keys — timeline: j/k move, PgUp/PgDn, g/G first/last, / search, n/N next/previous match, b bookmark the selected row, Esc. " }
                { "Diagram: j/k next/previous message, / find a message, b bookmark the selected step. " }
                { "Waterfall: j/k next/previous request (its record opens beside), PgUp/PgDn, g/G first/last, Esc closes the record; drag across its time axis to zoom. " }
                { "Bookmarks, notes and filter sets stay in this page until you save a session (a .switchboard file holding the inputs, clocks and annotations; drop it on a fresh page to reopen everything). Nothing is stored in the browser or sent anywhere." }
            </p>
            <h4>{ format!("Findings catalogue ({} codes)", CATALOGUE.len()) }</h4>
            <input id="catalogue-filter" type="search" placeholder="Filter the catalogue (code, area, words)" value={(*filter).clone()}
                oninput={{ let filter = filter.clone(); Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) }} />
            <dl class="catalogue" id="catalogue">
                { for shown.iter().map(|e| html! {
                    <div class="cat-entry" data-code={e.code}>
                        <dt><span class={classes!("sev", e.severity)}>{ e.severity }</span>{ " " }<code>{ e.code }</code>{ " " }<span class="dim">{ e.area }</span>{ " — " }<strong>{ e.title }</strong></dt>
                        <dd><p>{ e.meaning }</p><p><strong>{ "Next: " }</strong>{ e.next }</p></dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}
