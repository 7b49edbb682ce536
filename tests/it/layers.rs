//! The module structure has no import cycles (issue 14): at every level of `src/`, the modules
//! under one parent form a directed acyclic graph when each `crate::…` and `super::…` path in a
//! file is read as an edge to the module it names (collapsed to that level). A child using its
//! parent's items, or a parent re-exporting its children's, is not an edge between siblings and
//! is allowed.
//!
//! The paths are read as text (comments skipped), which is what `use` lines and qualified paths
//! are; a cycle it reports is named with one file:line per edge so it can be checked by eye.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One module: its path (`["ledger", "store"]`) and the file that holds it.
struct Module {
    path: Vec<String>,
    file: PathBuf,
}

fn modules(src: &Path) -> Vec<Module> {
    let mut found = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(parts.last().map(String::as_str), Some("mod")) {
                parts.pop();
            }
            if parts == ["lib"] || parts == ["main"] {
                parts.clear();
            }
            found.push(Module {
                path: parts,
                file: path,
            });
        }
    }
    found
}

/// The module paths a file refers to, with the line of each reference.
fn references(module: &Module, known: &BTreeSet<Vec<String>>) -> Vec<(Vec<String>, usize)> {
    let text = std::fs::read_to_string(&module.file).unwrap();
    // Unit tests inside the file (`use super::*`) are not part of the layering.
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (start, base) in [("crate::", Vec::new()), ("super::", parent(module))] {
            let mut rest = code;
            while let Some(at) = rest.find(start) {
                let preceded = rest[..at].chars().last();
                let tail = &rest[at + start.len()..];
                rest = tail;
                if matches!(preceded, Some(c) if c == '$' || c.is_alphanumeric() || c == '_') {
                    continue;
                }
                for path in paths_after(tail) {
                    let mut full = base.clone();
                    let mut segments = path.iter();
                    // `super::super::x`
                    for segment in segments.by_ref() {
                        if segment == "super" {
                            full.pop();
                        } else {
                            full.push(segment.clone());
                        }
                    }
                    // The longest prefix that is a module.
                    while !full.is_empty() && !known.contains(&full) {
                        full.pop();
                    }
                    found.push((full, number + 1));
                }
            }
        }
    }
    found
}

/// The module a file's `super::` names: its parent (for `a/b.rs` and for `a/mod.rs` alike, the
/// module one level up).
fn parent(module: &Module) -> Vec<String> {
    let mut path = module.path.clone();
    path.pop();
    path
}

/// The paths that follow `crate::` in `tail`: one (`a::b::C`), or several for a group
/// (`{a, b::{c, d}}`: the first segment of each member is enough for module edges, plus one
/// level of nesting).
fn paths_after(tail: &str) -> Vec<Vec<String>> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    if let Some(group) = tail.strip_prefix('{') {
        let mut depth = 0;
        let mut members = Vec::new();
        let mut current = String::new();
        for c in group.chars() {
            match c {
                '{' => {
                    depth += 1;
                    current.push(c);
                }
                '}' if depth == 0 => break,
                '}' => {
                    depth -= 1;
                    current.push(c);
                }
                ',' if depth == 0 => members.push(std::mem::take(&mut current)),
                _ => current.push(c),
            }
        }
        members.push(current);
        return members
            .iter()
            .map(|m| {
                m.trim()
                    .split("::")
                    .map(|s| ident(s.trim()))
                    .take_while(|s| !s.is_empty())
                    .collect()
            })
            .filter(|p: &Vec<String>| !p.is_empty())
            .collect();
    }
    let path: Vec<String> = tail
        .split("::")
        .map(ident)
        .take_while(|s| !s.is_empty())
        .collect();
    vec![path]
}

#[test]
fn no_module_imports_form_a_cycle_at_any_level() {
    let src = crate::common::repo().join("src");
    let modules = modules(&src);
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
    // parent path -> (child name -> child name -> first reference as file:line)
    let mut graphs: BTreeMap<Vec<String>, BTreeMap<String, BTreeMap<String, String>>> =
        BTreeMap::new();
    for module in &modules {
        for (target, line) in references(module, &known) {
            let common = module
                .path
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            // Ancestor and descendant: not an edge between siblings.
            if common == module.path.len() || common == target.len() {
                continue;
            }
            let from = module.path[common].clone();
            let to = target[common].clone();
            let place = format!(
                "{}:{line}",
                module.file.strip_prefix(&src).unwrap().display()
            );
            graphs
                .entry(module.path[..common].to_vec())
                .or_default()
                .entry(from)
                .or_default()
                .entry(to)
                .or_insert(place);
        }
    }
    let mut cycles = Vec::new();
    for (parent, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            let shown: Vec<String> = cycle
                .windows(2)
                .map(|w| format!("{} -> {} ({})", w[0], w[1], graph[&w[0]][&w[1]]))
                .collect();
            cycles.push(format!(
                "under `{}`: {}",
                if parent.is_empty() {
                    "crate".to_string()
                } else {
                    parent.join("::")
                },
                shown.join(", ")
            ));
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    // The reader must see the modules it judges: a renamed folder would make this vacuous.
    assert!(graphs.get(&Vec::new()).is_some_and(|g| g.len() > 10));
}

/// One cycle of `graph` as a closed walk (`[a, b, a]`), if there is any.
fn find_cycle(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            match marks.get(next) {
                Some(Mark::Open) => {
                    let start = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Some(Mark::Done) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, marks, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if !marks.contains_key(node) {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(node, graph, &mut marks, &mut stack) {
                return Some(cycle);
            }
        }
    }
    None
}
