set terminal pngcairo size 2960,980 font ',10'
set output 'containment-latency.png'
set multiplot layout 3,8 title "Probe in a sibling cgroup during each bomb (first repetition, lowest rate)\nblue: 10 ms sleep overshoot; orange: fork+exec /bin/true; red line: cgroup.kill"
set logscale y
set yrange [0.05:5000]
set grid
unset key
set xrange [-1.2:11.6]
set title 'c, none (CPU 152%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.028, graph 0 to 10.028, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, pids (CPU 152%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.037, graph 0 to 10.037, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, lineage (CPU 2%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.027, graph 0 to 10.027, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-lineage---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-lineage---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, deny 20/s (CPU 8%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.017, graph 0 to 10.017, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, deny0 20/s (CPU 152%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.043, graph 0 to 10.043, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-deny0-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-deny0-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, throttle 20/s (CPU 9%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.005, graph 0 to 10.005, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, throttle-cpu 20/s (CPU 9%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.017, graph 0 to 10.017, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-throttle-cpu-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-throttle-cpu-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'c, floor 20/s (CPU 11%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.014, graph 0 to 10.014, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-c-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-c-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, none (CPU 158%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.082, graph 0 to 10.082, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, pids (CPU 36%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.019, graph 0 to 10.019, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, lineage (CPU 10%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.025, graph 0 to 10.025, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-lineage---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-lineage---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, deny 20/s (CPU 21%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.016, graph 0 to 10.016, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, deny0 20/s (CPU 19%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.023, graph 0 to 10.023, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-deny0-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-deny0-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, throttle 20/s (CPU 18%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.032, graph 0 to 10.032, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, throttle-cpu 20/s (CPU 10%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.022, graph 0 to 10.022, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-throttle-cpu-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-throttle-cpu-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'bash, floor 20/s (CPU 25%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.020, graph 0 to 10.020, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-bash-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-bash-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, none (CPU 153%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.042, graph 0 to 10.042, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-none---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-none---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, pids (CPU 156%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.052, graph 0 to 10.052, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-pids---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-pids---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, lineage (CPU 26%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.026, graph 0 to 10.026, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-lineage---1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-lineage---1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, deny 20/s (CPU 105%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.048, graph 0 to 10.048, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-deny-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-deny-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, deny0 20/s (CPU 158%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.042, graph 0 to 10.042, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-deny0-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-deny0-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, throttle 20/s (CPU 66%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.018, graph 0 to 10.018, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-throttle-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-throttle-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, throttle-cpu 20/s (CPU 10%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.028, graph 0 to 10.028, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-throttle-cpu-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-throttle-cpu-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
set title 'py, floor 20/s (CPU 61%)'
unset arrow
set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black' dt 2
set arrow from 10.030, graph 0 to 10.030, graph 1 nohead lc rgb 'red' lw 2
plot "< grep ' sleep ' 'containment/probe-py-floor-20-1.log'" using 1:($3 > 0.05 ? $3 : 0.05) with lines lc rgb '#3060c0', "< grep ' spawn [0-9]' 'containment/probe-py-floor-20-1.log'" using 1:3 with points pt 7 ps 0.6 lc rgb '#d07000'
unset multiplot
