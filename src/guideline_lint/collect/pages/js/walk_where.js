return (window.__glTabbables || []).indexOf(document.activeElement);
