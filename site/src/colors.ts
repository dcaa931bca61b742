// The page's few colours (each with at least 3:1 contrast on white for marks, 4.5:1 where text sits on
// them). Meaning is never carried by colour alone: every mark also has a text label, shape or dash.
export const ink = "#1f2328";
export const primary = "#2f5f98";
export const secondary = "#b0413e";
export const muted = "#6b7280";
