// The tooltips treebeard shows while an agency is dragged, in Chinese.
// treebeard's script asks django.gettext for them only during a drag, so
// adding them to the catalogue after the page's jsi18n script is enough.
(function () {
    "use strict";
    if (!window.django || !window.django.catalog) {
        return;
    }
    Object.assign(window.django.catalog, {
        "Abort": "取消移动",
        "As Sibling": "移到它前面（同级）",
        "As child": "移为它的下级",
    });
})();
